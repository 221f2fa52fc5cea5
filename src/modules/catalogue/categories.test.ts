import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import {
  ancestorIds,
  categoryName,
  categoryPath,
  categoryTree,
  findCategory,
  getCategory,
  indexCategoryFile,
  isLeafCategory,
  leafCategories,
  type Category,
  type LeafCategory,
} from './categories.js';

function descendants(category: Category): Category[] {
  return [category, ...category.children.flatMap((id) => descendants(getCategory(id)))];
}

const all = categoryTree().flatMap(descendants);
const leaves = all.filter((c): c is LeafCategory => c.isLeaf);
const han = /\p{Script=Han}/u;

/** Leaves whose product nouns or modifiers contain a word, in either language. */
function leavesUsing(word: string): string[] {
  return leaves
    .filter((c) => [...c.vocabulary.nouns, ...c.vocabulary.modifiers].some((t) => t.zh.includes(word) || t.en.toLowerCase().includes(word)))
    .map((c) => c.id);
}

describe('the tree', () => {
  it('has the 20 industries in file order, each a root at depth 1 with children', () => {
    expect(categoryTree().map((c) => c.id)).toEqual([
      'machinery', 'electronics', 'lighting', 'apparel', 'textiles', 'chemicals', 'building-materials', 'auto-parts', 'packaging',
      'furniture', 'food-beverage', 'agriculture', 'minerals-metals', 'health-medical', 'tools-hardware', 'home-appliances', 'energy',
      'security-protection', 'sports-outdoor', 'gifts-crafts',
    ]);
    expect(categoryTree().filter((c) => c.parentId !== null || c.depth !== 1 || c.isLeaf || c.children.length === 0)).toEqual([]);
  });

  it('has at least 150 leaves, every one two or three levels deep', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(150);
    expect(leaves.filter((c) => c.depth < 2 || c.depth > 3).map((c) => c.id)).toEqual([]);
    expect(Math.max(...all.map((c) => c.depth))).toBe(3);
  });

  it('gives every industry at least five leaves', () => {
    const thin = categoryTree().filter((root) => descendants(root).filter((c) => c.isLeaf).length < 5);
    expect(thin.map((c) => c.id)).toEqual([]);
  });

  it('lists the same leaves from leafCategories(), in tree order', () => {
    expect(leafCategories().map((c) => c.id)).toEqual(leaves.map((c) => c.id));
  });

  it('has unique lowercase ascii ids of the form <industry>.<slug>, each found again by findCategory', () => {
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    const root = (c: Category) => ancestorIds(c.id)[0];
    const malformed = all.filter((c) =>
      c.parentId === null ? !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.id) : !new RegExp(`^${root(c)}\\.[a-z0-9]+(-[a-z0-9]+)*$`).test(c.id),
    );
    expect(malformed.map((c) => c.id)).toEqual([]);
    expect(all.filter((c) => c.id.length > 80 || findCategory(c.id) !== c).map((c) => c.id)).toEqual([]);
  });

  it('links every child to its parent one level down', () => {
    const broken = all.filter((c) => c.children.some((id) => findCategory(id)?.parentId !== c.id || findCategory(id)?.depth !== c.depth + 1));
    expect(broken.map((c) => c.id)).toEqual([]);
  });

  it('keeps templates and vocabulary on leaves only, and children on branches only', () => {
    expect(leaves.filter((c) => c.children.length > 0).map((c) => c.id)).toEqual([]);
    const branches = all.filter((c) => !c.isLeaf);
    expect(branches.filter((c) => c.children.length === 0 || c.attributes !== undefined || c.vocabulary !== undefined)).toEqual([]);
  });

  it('is frozen, down to options and vocabulary terms', () => {
    const leaf = getCategory('lighting.led-high-bay');
    if (!leaf.isLeaf) throw new Error('expected a leaf');
    const select = leaf.attributes.find((a) => a.type === 'select');
    expect([leaf, leaf.children, leaf.attributes, select, select?.options, select?.options?.[0], leaf.vocabulary.nouns[0], leaf.vocabulary.specs]
      .every((v) => Object.isFrozen(v))).toBe(true);
    expect(Object.isFrozen(categoryTree()) && Object.isFrozen(leafCategories()) && Object.isFrozen(categoryPath('energy'))).toBe(true);
  });
});

describe('attribute templates', () => {
  it('gives every leaf 3–7 attributes with unique camelCase keys', () => {
    const bad = leaves.filter((c) => {
      const keys = c.attributes.map((a) => a.key);
      return keys.length < 3 || keys.length > 7 || new Set(keys).size !== keys.length || keys.some((k) => !/^[a-z][a-zA-Z0-9]*$/.test(k));
    });
    expect(bad.map((c) => c.id)).toEqual([]);
  });

  it('gives select attributes two or more options with unique codes, and other attributes none', () => {
    const bad = leaves.flatMap((c) =>
      c.attributes
        .filter((a) => (a.type === 'select' ? a.options.length < 2 || new Set(a.options.map((o) => o.value)).size !== a.options.length : a.options !== undefined))
        .map((a) => `${c.id} ${a.key}`),
    );
    expect(bad).toEqual([]);
  });

  it('names every attribute and option in Chinese and English', () => {
    const unnamed = leaves.flatMap((c) =>
      c.attributes.flatMap((a) => [a, ...(a.options ?? [])]).filter((x) => !x.zh.trim() || !x.en.trim()).map((x) => `${c.id} ${x.zh}/${x.en}`),
    );
    expect(unnamed).toEqual([]);
    expect(leaves.flatMap((c) => c.attributes).filter((a) => !han.test(a.zh))).toEqual([]);
  });

  it('templates an LED high bay light by power, colour temperature and IP rating', () => {
    const highBay = getCategory('lighting.led-high-bay');
    const byKey = new Map(highBay.attributes?.map((a) => [a.key, a]));
    expect(byKey.get('power')).toMatchObject({ type: 'number', unit: 'W' });
    expect(byKey.get('colourTemperature')).toMatchObject({ type: 'number', unit: 'K', zh: '色温' });
    expect(byKey.get('ipRating')?.options?.map((o) => o.en)).toContain('IP65');
    expect(byKey.get('certification')?.options?.map((o) => o.en)).toEqual(expect.arrayContaining(['CE', 'RoHS']));
  });
});

describe('names and vocabulary', () => {
  it('names every category in Chinese (with Han characters) and English', () => {
    expect(all.filter((c) => !han.test(c.zh) || !/^[A-Z0-9][\x20-\x7e]*$/.test(c.en)).map((c) => c.id)).toEqual([]);
  });

  it('gives every leaf 4–8 nouns, 4–8 modifiers and 3–6 spec tokens, without repeats', () => {
    const bad = leaves.filter(({ vocabulary: v }) => {
      const distinct = (xs: readonly string[]) => new Set(xs).size === xs.length;
      return (
        v.nouns.length < 4 || v.nouns.length > 8 || v.modifiers.length < 4 || v.modifiers.length > 8 || v.specs.length < 3 || v.specs.length > 6 ||
        !distinct(v.nouns.map((t) => t.zh)) || !distinct(v.modifiers.map((t) => t.zh)) || !distinct(v.specs) || v.specs.some((s) => !/^\S+$/.test(s))
      );
    });
    expect(bad.map((c) => c.id)).toEqual([]);
  });

  it('has every vocabulary term in both languages, every noun with Han characters', () => {
    const terms = leaves.flatMap((c) => [...c.vocabulary.nouns, ...c.vocabulary.modifiers].map((t) => ({ id: c.id, ...t })));
    expect(terms.filter((t) => !t.zh.trim() || !t.en.trim())).toEqual([]);
    expect(leaves.flatMap((c) => c.vocabulary.nouns.filter((t) => !han.test(t.zh)).map((t) => `${c.id} ${t.zh}`))).toEqual([]);
  });

  it('files shipping containers (集装箱) under packaging', () => {
    const containers = getCategory('packaging.shipping-containers');
    expect(categoryPath(containers.id).map((c) => c.id)).toEqual(['packaging', 'packaging.logistics', 'packaging.shipping-containers']);
    expect(containers.vocabulary?.nouns).toContainEqual({ zh: '集装箱', en: 'shipping container' });
  });

  it('knows photovoltaic (光伏) and monocrystalline (单晶硅) solar panels', () => {
    const panels = getCategory('energy.solar-panels');
    expect(panels.vocabulary?.nouns).toEqual(
      expect.arrayContaining([{ zh: '光伏组件', en: 'PV module' }, { zh: '单晶硅太阳能板', en: 'monocrystalline solar panel' }]),
    );
    expect(panels.vocabulary?.modifiers).toContainEqual({ zh: '单晶硅', en: 'monocrystalline' });
    expect(leavesUsing('光伏').length).toBeGreaterThanOrEqual(3);
  });

  it('knows LED high bay lights (工矿灯)', () => {
    expect(getCategory('lighting.led-high-bay').vocabulary?.nouns[0]).toEqual({ zh: 'LED工矿灯', en: 'LED high bay light' });
    expect(leavesUsing('工矿灯')).toEqual(['lighting.led-high-bay']);
  });

  it('makes stainless steel (不锈钢) a common term: pipes, sheets, cookware, fasteners and more', () => {
    const stainless = leavesUsing('不锈钢');
    expect(stainless).toEqual(
      expect.arrayContaining([
        'minerals-metals.stainless-steel-pipes', 'minerals-metals.stainless-steel-sheets', 'home-appliances.cookware', 'tools-hardware.bolts-nuts',
        'tools-hardware.screws',
      ]),
    );
    expect(stainless.length).toBeGreaterThanOrEqual(15);
    expect(new Set(stainless.map((id) => ancestorIds(id)[0])).size).toBeGreaterThanOrEqual(8);
    expect(leavesUsing('stainless steel')).toEqual(stainless);
  });
});

describe('lookups', () => {
  it('finds a category by id and gives undefined for anything else', () => {
    expect(findCategory('lighting.led-high-bay')).toMatchObject({ zh: 'LED工矿灯', en: 'LED High Bay Lights', isLeaf: true, depth: 3 });
    for (const id of ['', 'nope', 'LIGHTING', 'lighting.', '__proto__', 'constructor', 'lighting.led-high-bay ', '<script>']) {
      expect(findCategory(id)).toBeUndefined();
    }
  });

  it('gets a category, or throws NOT_FOUND (404) for an unknown id', () => {
    expect(getCategory('energy')).toBe(findCategory('energy'));
    expect(() => getCategory('energy.perpetual-motion')).toThrow(AppError);
    expect(() => getCategory('energy.perpetual-motion')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', status: 404 }));
  });

  it('walks from the industry down to the category', () => {
    expect(categoryPath('lighting.led-high-bay').map((c) => c.en)).toEqual(['Lighting', 'Industrial & Commercial Lighting', 'LED High Bay Lights']);
    expect(categoryPath('chemicals.caustic-soda').map((c) => c.zh)).toEqual(['化工', '烧碱']);
    expect(categoryPath('energy')).toEqual([getCategory('energy')]);
  });

  it('lists ancestor ids from the industry down, the category itself included', () => {
    expect(ancestorIds('lighting.led-high-bay')).toEqual(['lighting', 'lighting.industrial-commercial', 'lighting.led-high-bay']);
    expect(ancestorIds('energy')).toEqual(['energy']);
    expect(all.filter((c) => ancestorIds(c.id).join() !== categoryPath(c.id).map((p) => p.id).join()).map((c) => c.id)).toEqual([]);
  });

  it('throws NOT_FOUND for the path or ancestors of an unknown id', () => {
    expect(() => categoryPath('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => ancestorIds('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('tells leaves from groups, industries and unknown ids', () => {
    expect(isLeafCategory('lighting.led-high-bay')).toBe(true);
    expect(isLeafCategory('lighting.industrial-commercial')).toBe(false);
    expect(isLeafCategory('lighting')).toBe(false);
    expect(isLeafCategory('lighting.nope')).toBe(false);
    expect(isLeafCategory('')).toBe(false);
  });

  it('names a category, attribute or option in the reader’s language', () => {
    const panels = getCategory('energy.solar-panels');
    expect(categoryName(panels, 'zh-CN')).toBe('太阳能电池板');
    expect(categoryName(panels, 'en')).toBe('Solar Panels');
    const cellType = panels.attributes?.find((a) => a.key === 'cellType');
    expect(cellType && categoryName(cellType, 'en')).toBe('Cell type');
    expect(cellType?.options?.map((o) => categoryName(o, 'zh-CN'))).toContain('N型TOPCon');
  });
});

describe('checking the file at load', () => {
  interface Term {
    zh: string;
    en: string;
  }
  interface FileAttribute extends Term {
    key: string;
    type: string;
    unit?: string;
    options?: (Term & { value: string })[];
  }
  interface FileNode extends Term {
    id: string;
    children?: FileNode[];
    attributes?: FileAttribute[];
    vocabulary?: { nouns: Term[]; modifiers: Term[]; specs: string[] };
    price?: number;
  }

  const terms = (...zh: string[]) => zh.map((z, i) => ({ zh: z, en: `term ${i}` }));
  const leaf = (id: string): FileNode => ({
    id,
    zh: '工矿灯',
    en: 'High Bay Lights',
    attributes: [
      { key: 'power', zh: '功率', en: 'Power', type: 'number', unit: 'W' },
      { key: 'colour', zh: '颜色', en: 'Colour', type: 'text' },
      { key: 'ipRating', zh: '防护等级', en: 'IP rating', type: 'select', options: [{ value: 'ip65', zh: 'IP65', en: 'IP65' }, { value: 'ip66', zh: 'IP66', en: 'IP66' }] },
    ],
    vocabulary: { nouns: terms('灯', '工矿灯', '仓库灯', '厂房灯'), modifiers: terms('防水', '高亮', '节能', '工业'), specs: ['100W', 'IP65', '5000K'] },
  });
  // A small valid file (照明 → 室内 → 工矿灯), changed by each test in one way.
  function file(change: (f: FileNode[]) => unknown = () => undefined): FileNode[] {
    const f = [{ id: 'lighting', zh: '照明', en: 'Lighting', children: [{ id: 'lighting.indoor', zh: '室内', en: 'Indoor', children: [leaf('lighting.high-bay')] }] }];
    change(f);
    return f;
  }
  const group = (f: FileNode[]) => f[0]!.children![0]!;
  const highBay = (f: FileNode[]) => group(f).children![0]!;
  const attribute = (f: FileNode[], i: number) => highBay(f).attributes![i]!;

  it('indexes a valid file: ids, depths, parents and paths', () => {
    const index = indexCategoryFile(file());
    expect(index.roots.map((c) => c.id)).toEqual(['lighting']);
    expect(index.leaves.map((c) => [c.id, c.depth, c.parentId])).toEqual([['lighting.high-bay', 3, 'lighting.indoor']]);
    expect(index.ancestors.get('lighting.high-bay')).toEqual(['lighting', 'lighting.indoor', 'lighting.high-bay']);
    expect(index.byId.get('lighting')?.children).toEqual(['lighting.indoor']);
  });

  it.each<[string, (f: FileNode[]) => unknown, RegExp]>([
    ['a repeated id', (f) => group(f).children!.push(leaf('lighting.high-bay')), /lighting\.high-bay appears twice/],
    ['a child id outside its industry', (f) => (highBay(f).id = 'energy.high-bay'), /should be lighting\.<slug>/],
    ['an id with capitals', (f) => (group(f).id = 'lighting.Indoor'), /should be lighting\.<slug>/],
    ['a leaf without vocabulary', (f) => delete highBay(f).vocabulary, /leaf lighting\.high-bay needs attributes and vocabulary/],
    ['a leaf without a template', (f) => delete highBay(f).attributes, /leaf lighting\.high-bay needs attributes and vocabulary/],
    ['a group with a template', (f) => (group(f).attributes = leaf('x').attributes), /lighting\.indoor has children, so no attributes/],
    ['a group with no children', (f) => (group(f).children = []), /lighting\.indoor: children: Too small/],
    ['an industry that is a leaf', (f) => f.push(leaf('energy')), /industry energy has no children/],
    ['a fourth level', (f) => (group(f).children = [{ id: 'lighting.led', zh: 'LED', en: 'LED', children: [leaf('lighting.led-bulb')] }]), /lighting\.led-bulb is deeper than 3 levels/],
    ['a repeated attribute key', (f) => (attribute(f, 1).key = 'power'), /lighting\.high-bay repeats an attribute key/],
    ['a select without options', (f) => delete attribute(f, 2).options, /lighting\.high-bay: attributes\.2: a select attribute needs options/],
    ['a number with options', (f) => (attribute(f, 0).options = attribute(f, 2).options), /attributes\.0: a select attribute needs options, and only a select has them/],
    ['repeated option values', (f) => (attribute(f, 2).options![1]!.value = 'ip65'), /attributes\.2: option values repeat/],
    ['two attributes only', (f) => highBay(f).attributes!.pop(), /lighting\.high-bay: attributes: Too small/],
    ['an unknown attribute type', (f) => (attribute(f, 1).type = 'date'), /lighting\.high-bay: attributes\.1\.type: Invalid option/],
    ['three nouns', (f) => highBay(f).vocabulary!.nouns.pop(), /lighting\.high-bay: vocabulary\.nouns: Too small/],
    ['a spec token with a space', (f) => (highBay(f).vocabulary!.specs[0] = '100 W'), /lighting\.high-bay: vocabulary\.specs\.0: is not a spec token/],
    ['a missing English name', (f) => (group(f).en = ''), /lighting\.indoor: en: Too small/],
    ['a name padded with spaces', (f) => (f[0]!.zh = ' 照明'), /lighting: zh: has leading or trailing spaces/],
    ['an unknown field', (f) => (highBay(f).price = 1), /lighting\.high-bay: Unrecognized key: "price"/],
  ])('refuses %s', (_, change, message) => {
    expect(() => indexCategoryFile(file(change))).toThrow(message);
  });

  it('refuses a file that is not a list of industries', () => {
    for (const raw of [null, {}, [], 'lighting']) expect(() => indexCategoryFile(raw)).toThrow(/^categories\.json: /);
  });
});
