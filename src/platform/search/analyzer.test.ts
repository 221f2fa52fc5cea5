import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzerVersion, highlight, highlightTerms, indexTokens, queryTokens } from './analyzer.js';
import { getSegmenter } from './segmenter.js';

/** What the index adapters rely on: letters, digits, Han; '.' and '-' only between two digits. */
const safeToken = /^(?:[a-z0-9\p{Script=Han}]|(?<=[0-9])[.-](?=[0-9]))+$/u;

const tradeWords = readFileSync(new URL('./trade-dict.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => line.split(' ')[0] ?? '');

/** Realistic product titles from different industries, Chinese, English and mixed. */
const titles = [
  'LED工矿灯 100W 200W IP65防水 厂家直销',
  'LED High Bay Light 150W IP65 5000K for Warehouse',
  '不锈钢无缝钢管 304 316L 工业用',
  'Stainless Steel Seamless Pipes 304/316L, 1.5mm wall',
  '太阳能板单晶硅 550W 光伏组件',
  'Monocrystalline Solar Panels 550W PV Modules',
  '光伏逆变器 5KW 并网 Hybrid Inverter',
  '镀锌管 DN50 热镀锌钢管 Galvanized Pipe',
  '潜水泵 污水泵 2寸 Submersible Pumps',
  '深沟球轴承 6205-2RS Deep Groove Ball Bearings',
  '注塑机 160吨 Plastic Injection Molding Machine',
  '数控机床 CNC加工中心 VMC850',
  '柴油叉车 3吨 Diesel Forklift 3 Ton',
  '小型挖掘机 1.8吨 Mini Excavator',
  '聚氨酯防水涂料 屋顶 Waterproof Coating',
  '通体大理石瓷砖 600×1200 Porcelain Floor Tiles',
  '胶合板 18mm 建筑模板 Film Faced Plywood',
  '五层瓦楞纸箱 定制印刷 Corrugated Carton Boxes',
  'PP编织袋 50kg 米袋 Woven Bags',
  '磷酸铁锂电池 48V 100Ah LiFePO4 Battery',
  '电动汽车充电桩 7kW EV Charger Type-2',
  '太阳能路灯 一体化 60W All-in-One Solar Street Light',
  'LED面板灯 600*600 40W Panel Lights',
  '雪纺连衣裙 夏季新款 Women\'s Chiffon Dresses',
  '纯棉T恤 圆领 定制logo Cotton T-Shirts',
  '男士羽绒服 加厚 Men\'s Down Jackets',
  '涤纶面料 春亚纺 Polyester Fabric',
  '304不锈钢保温杯 500ml Vacuum Flask',
  '麦饭石不粘锅 28cm Non-stick Frying Pan',
  '陶瓷刹车片 Ceramic Brake Pads for Toyota Corolla',
  '蓝牙耳机 TWS 降噪 Wireless Earbuds',
  '人体工学办公椅 网布 Ergonomic Office Chair',
  '明前龙井绿茶 250g Longjing Green Tea',
  '复合肥 氮磷钾 15-15-15 NPK Fertilizer',
  '监控摄像头 4MP POE IP Camera',
  'M8×20 六角螺栓 8.8级 Hex Bolts DIN933',
];

describe('segmentation', () => {
  it('keeps every trade dictionary term whole', () => {
    const split = tradeWords.filter((word) => queryTokens(word).join('|') !== word.toLowerCase());
    expect(tradeWords.length).toBeGreaterThanOrEqual(150);
    expect(split).toEqual([]);
  });

  it.each([
    ['LED工矿灯 100W', ['led', '工矿灯', '100w']],
    ['光伏逆变器', ['光伏', '逆变器']],
    ['单晶硅太阳能板', ['单晶硅', '太阳能板']],
    ['集装箱 镀锌管 无缝钢管', ['集装箱', '镀锌管', '无缝钢管']],
    ['304不锈钢保温杯 500ml', ['304', '不锈钢', '保温杯', '500ml']],
    ['纯棉T恤', ['纯棉', 't恤']],
    ['stainless steel 保温杯', ['stainless', 'steel', '保温杯']],
    ['叉车 3吨', ['叉车', '3吨']],
  ])('cuts the query %s into %j', (query, expected) => {
    expect(queryTokens(query)).toEqual(expected);
  });

  it('indexes what the query side produces for every title', () => {
    for (const title of titles) {
      const indexed = new Set(indexTokens(title));
      expect(queryTokens(title).filter((token) => !indexed.has(token)), title).toEqual([]);
    }
  });

  it('indexes every Han word jieba cutForSearch finds', () => {
    for (const title of titles) {
      const indexed = new Set(indexTokens(title));
      const searchWords = getSegmenter()
        .cutForSearch(title.toLowerCase(), true)
        .filter((word) => /^\p{Script=Han}{2,}$/u.test(word));
      expect(searchWords.filter((word) => !indexed.has(word)), title).toEqual([]);
    }
  });

  it.each([
    ['不锈钢无缝钢管', ['钢管', '不锈钢', '无缝钢管', '无缝']],
    ['潜水泵', ['水泵', '泵']],
    ['LED投光灯具', ['灯具', '投光灯', '灯']],
    ['不锈钢板材', ['板材', '不锈钢']],
    ['深沟球轴承', ['轴承']],
    ['纯棉T恤衫', ['t恤', '纯棉']],
  ])('lets shorter words find %s', (text, queries) => {
    const indexed = new Set(indexTokens(text));
    for (const query of queries) expect(queryTokens(query).every((token) => indexed.has(token)), query).toBe(true);
  });
});

describe('specs and model numbers', () => {
  it.each([
    ['500ml', '500ml'],
    ['IP65', 'ip65'],
    ['M8x20', 'm8x20'],
    ['M8×20', 'm8x20'],
    ['m8*20', 'm8x20'],
    ['304', '304'],
    ['5000K', '5000k'],
    ['12V/24V', '12v 24v'],
    ['1.5mm', '1.5mm'],
    ['XYZ-2000', 'xyz2000'],
    ['xyz2000', 'xyz2000'],
    ['2000-3000', '2000-3000'],
    ['6205-2RS', '6205-2rs'],
    ['15-15-15', '15-15-15'],
    ['1.8吨', '1.8吨'],
    ['8.8级', '8.8级'],
    ['v1.2.', 'v1.2'],
  ])('keeps %s whole', (spec, expected) => {
    expect(queryTokens(spec).join(' ')).toBe(expected);
  });

  it('indexes the parts of a model number and of a quantity too', () => {
    expect(indexTokens('XYZ-2000')).toEqual(expect.arrayContaining(['xyz2000', 'xyz', '2000']));
    expect(indexTokens('3吨叉车')).toEqual(expect.arrayContaining(['3吨', '3', '叉车']));
  });

  it('treats a hyphenated word of letters as its words, indexing the joined form too', () => {
    expect(queryTokens('stainless-steel wi-fi')).toEqual(['stainless', 'steel', 'wi', 'fi']);
    expect(indexTokens('Wi-Fi camera')).toEqual(expect.arrayContaining(['wifi', 'wi', 'fi', 'camera']));
  });

  it('separates words at joiners that are not between digits', () => {
    expect(queryTokens('LED.Light - 100W. A*B size 2 x 3')).toEqual(['led', 'light', '100w', 'b', 'size', '2', 'x', '3']);
  });
});

describe('normalisation', () => {
  it('folds full-width characters to half-width', () => {
    expect(queryTokens('ＬＥＤ工矿灯　１００Ｗ，ＩＰ６５')).toEqual(['led', '工矿灯', '100w', 'ip65']);
    expect(queryTokens('Ｍ８×２０')).toEqual(['m8x20']);
  });

  it('stems English words', () => {
    expect(queryTokens('lights pumps')).toEqual(['light', 'pump']);
    expect(queryTokens('bearings')).toEqual(queryTokens('bearing'));
    expect(indexTokens('LED Flood Lights')).toEqual(expect.arrayContaining(queryTokens('flood light')));
  });

  it('removes accents, apostrophes and invisible characters', () => {
    expect(queryTokens("Café men's LE\u00adD\u200b")).toEqual(['cafe', 'men', 'led']);
  });

  it('leaves Chinese untouched and drops other scripts', () => {
    expect(queryTokens('Лампа λάμπα 전구 工矿灯')).toEqual(['工矿灯']);
  });

  it('deduplicates in query order', () => {
    expect(queryTokens('LED led Led 工矿灯 LEDs')).toEqual(['led', '工矿灯']);
  });
});

describe('stop words and single characters', () => {
  it('drops English stop words and Chinese particles', () => {
    expect(queryTokens('lights for the garden with a pump')).toEqual(['light', 'garden', 'pump']);
    expect(queryTokens('工矿灯和投光灯的价格')).toEqual(['工矿灯', '投光灯', '价格']);
    expect(queryTokens('the and of')).toEqual([]);
    expect(queryTokens('的')).toEqual([]);
  });

  it('drops single Chinese characters unless the query is nothing else', () => {
    expect(queryTokens('灯')).toEqual(['灯']);
    expect(queryTokens('LED 灯')).toEqual(['led']);
    expect(queryTokens('灯 泵')).toEqual(['灯', '泵']);
    expect(indexTokens('LED投光灯')).toContain('灯');
  });

  it('caps a query at 16 tokens, keeping the first ones', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    expect(queryTokens(words.join(' '))).toEqual(words.slice(0, 16));
  });
});

describe('hostile input', () => {
  const hostile = [
    '',
    '   ',
    '"',
    '"unbalanced quote',
    "it's 'half",
    '((((led',
    'led))))',
    '{a} [b] <c>',
    'AND OR NOT NEAR',
    'NEAR(led lamp, 5)',
    'led AND (lamp OR "bulb") NOT -cheap',
    'title:led ^boost led*',
    "'; DROP TABLE product; --",
    "1' OR '1'='1",
    '<script>alert(1)</script>',
    '#facet_value &amp; | ! @@ :: \\',
    '\u0000\u0001\u0007\u001b[31m\u007f\u0085',
    '\ud800 lone \udfff surrogates',
    '\u202eRTL override\u202c',
    '🙂🔥👨‍👩‍👧 emoji',
    'a'.repeat(10_000),
    '灯'.repeat(10_000),
    '1.'.repeat(5_000),
    '-'.repeat(10_000),
    'x-1'.repeat(3_000),
    Array.from({ length: 10_000 }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join(''),
  ];

  it.each(hostile.map((text) => [text.slice(0, 40), text]))('analyses %j safely', (_label, text) => {
    const query = queryTokens(text);
    const index = indexTokens(text);
    expect(query.length).toBeLessThanOrEqual(16);
    for (const token of [...query, ...index]) {
      expect(token, token).toMatch(safeToken);
      expect([...token].length).toBeLessThanOrEqual(64);
    }
    expect(new Set(query).size).toBe(query.length);
    expect(highlight(text, text).map((part) => part.text).join('')).toBe(text);
    expect(Array.isArray(highlightTerms(text))).toBe(true);
  });

  it('only reads the first 2,000 characters of a query', () => {
    expect(queryTokens(`${'x '.repeat(1_000)}led`)).toEqual(['x']);
  });
});

describe('highlight', () => {
  it('marks English words by stem, case-insensitively', () => {
    expect(highlight('LED Flood Lights', 'light')).toEqual([
      { text: 'LED Flood ', match: false },
      { text: 'Lights', match: true },
    ]);
  });

  it('marks Chinese words inside longer words', () => {
    expect(highlight('不锈钢无缝钢管', '不锈钢 钢管')).toEqual([
      { text: '不锈钢', match: true },
      { text: '无缝', match: false },
      { text: '钢管', match: true },
    ]);
    expect(highlight('工矿灯与投光灯', '灯').filter((part) => part.match).map((part) => part.text)).toEqual(['灯', '灯']);
  });

  it('marks the original characters of full-width and joined specs', () => {
    expect(highlight('ＬＥＤ工矿灯 M8×20', 'led m8x20')).toEqual([
      { text: 'ＬＥＤ', match: true },
      { text: '工矿灯 ', match: false },
      { text: 'M8×20', match: true },
    ]);
  });

  it('merges overlapping and touching matches into one part', () => {
    expect(highlight('LED工矿灯', 'led 工矿灯 工矿')).toEqual([{ text: 'LED工矿灯', match: true }]);
  });

  it('never splits an emoji or a combining accent', () => {
    expect(highlight('🔥Cafe\u0301 lights', 'café')).toEqual([
      { text: '🔥', match: false },
      { text: 'Cafe\u0301', match: true },
      { text: ' lights', match: false },
    ]);
  });

  it('returns the text unmarked when the query has nothing searchable', () => {
    expect(highlight('LED lights', 'the "')).toEqual([{ text: 'LED lights', match: false }]);
    expect(highlight('', 'led')).toEqual([]);
  });

  it('gives the surface forms of the query terms', () => {
    expect(highlightTerms('ＬＥＤ Lights for 工矿灯 的')).toEqual(['ＬＥＤ', 'Lights', '工矿灯']);
  });
});

it('exposes a version for rebuilding indexes', () => {
  expect(analyzerVersion).toMatch(/^\S+$/);
});
