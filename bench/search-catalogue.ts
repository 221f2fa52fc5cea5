/**
 * The deterministic catalogue of the search benchmark: companies spread over provinces (70%
 * verified) and products whose titles, attributes and descriptions come from the vocabularies of
 * the standard category tree, with categories and suppliers drawn Zipf-like. The same seed gives
 * the same catalogue, row for row, on both engines.
 */
import type { Insertable } from 'kysely';
import { leafCategories, type CategoryVocabulary, type LeafCategory } from '../src/modules/catalogue/index.js';
import type { IndexedCompany } from '../src/modules/companies/index.js';
import { creditCodeCheckCharacter } from '../src/modules/companies/credit-code.js';
import { citiesOf, districtsOf, provinces } from '../src/modules/companies/regions.js';
import type { CompanyTable } from '../src/modules/companies/tables.js';
import type { ProductTable } from '../src/modules/products/tables.js';

/** mulberry32: a small, fast, seedable PRNG giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Indexes into cumulative weights: rank k is drawn with probability ∝ 1 / (k + 1)^s. */
function zipf(count: number, s: number): (random: Random) => number {
  const cumulative = new Float64Array(count);
  let sum = 0;
  for (let k = 0; k < count; k++) cumulative[k] = sum += 1 / (k + 1) ** s;
  return (random) => {
    const target = random() * sum;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A v4-shaped UUID from the PRNG, so ids are as deterministic as the rest. */
function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'.charAt(Math.floor(random() * 4));
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Where Chinese exporters are, roughly: the coastal provinces hold most suppliers. */
const provinceWeights: Readonly<Record<string, number>> = {
  '440000': 26, '330000': 20, '320000': 11, '370000': 8, '350000': 6, '310000': 5, '130000': 4, '410000': 3,
  '420000': 2, '340000': 2, '510000': 2, '430000': 2, '120000': 1.5, '110000': 1.5, '210000': 1.5, '360000': 1.5,
};
const otherProvinceWeight = 0.4;
/** Share of companies outside mainland China (their province facet is `intl`). */
const internationalShare = 0.01;

const brandSyllables: readonly [string, string][] = [
  ['恒', 'Heng'], ['达', 'Da'], ['鑫', 'Xin'], ['华', 'Hua'], ['盛', 'Sheng'], ['源', 'Yuan'], ['泰', 'Tai'], ['丰', 'Feng'],
  ['宏', 'Hong'], ['瑞', 'Rui'], ['金', 'Jin'], ['诚', 'Cheng'], ['永', 'Yong'], ['新', 'Xin'], ['德', 'De'], ['通', 'Tong'],
  ['立', 'Li'], ['嘉', 'Jia'], ['晨', 'Chen'], ['光', 'Guang'], ['益', 'Yi'], ['中', 'Zhong'], ['海', 'Hai'], ['润', 'Run'],
];
const companyKinds: readonly [string, string][] = [
  ['科技', 'Technology'], ['实业', 'Industrial'], ['制造', 'Manufacturing'], ['贸易', 'Trading'], ['机电', 'Electromechanical'],
  ['五金', 'Hardware'], ['电子', 'Electronics'], ['工贸', 'Industry & Trade'],
];
const certificationNames = ['CE', 'RoHS', 'ISO9001', 'FCC', 'UL', 'SGS', 'CCC', 'FDA', 'REACH'];
const descriptionPhrases = ['工厂直销，支持定制。', '质量稳定，交货及时。', '可提供 OEM/ODM 服务。', '出口欧美及东南亚。', '提供样品，支持验厂。'];
const stainless = { zh: '不锈钢', en: 'stainless steel' };
/** Share of products that get 不锈钢 in the title: with the category names and vocabularies that also say it, about a quarter. */
const stainlessShare = 0.2;
const units = ['piece', 'set', 'piece', 'set', 'carton', 'meter', 'kilogram', 'ton'] as const;

export interface CatalogueCompany {
  row: Insertable<CompanyTable>;
  /** What productDocument reads of a company, exactly as the companies service returns it. */
  indexed: IndexedCompany;
}

export interface CatalogueProduct {
  row: ProductTable;
  imageCount: number;
}

function attributeValues(random: Random, leaf: LeafCategory, vocabulary: CategoryVocabulary): Record<string, string> {
  const values: Record<string, string> = {};
  for (const attribute of leaf.attributes) {
    if (random() < 0.3) continue;
    if (attribute.type === 'select' && attribute.options.length) values[attribute.key] = pick(random, attribute.options).value;
    else if (attribute.type === 'number') values[attribute.key] = String(Math.round(10 ** (random() * 3.5)));
    else if (attribute.type === 'text' && vocabulary.specs.length) values[attribute.key] = pick(random, vocabulary.specs);
  }
  return values;
}

/**
 * Makes the companies at once (they are few) and the products one by one in creation order, so a
 * million of them never sit in memory together.
 */
export function createCatalogue(options: { seed: number; companies: number; start: Date; end: Date }) {
  const random = mulberry32(options.seed);
  const leaves = leafCategories();
  if (leaves.length === 0) throw new Error('the category tree has no leaves');
  // Zipf-like over a seeded order of the leaves: a few categories hold much of the catalogue.
  const leafOrder = shuffled(random, leaves);
    const drawLeaf = zipf(leafOrder.length, 0.9);

  const regions = provinces().map((p) => ({ province: p, weight: provinceWeights[p.code] ?? otherProvinceWeight }));
  const regionTotal = regions.reduce((sum, r) => sum + r.weight, 0);
  function drawProvince() {
    let target = random() * regionTotal;
    for (const r of regions) if ((target -= r.weight) < 0) return r.province;
    return regions[0]!.province;
  }

  const created = options.start.toISOString();
  const companies: CatalogueCompany[] = [];
  for (let i = 0; i < options.companies; i++) {
    const id = uuid(random);
    const isInternational = random() < internationalShare;
    const province = drawProvince();
    const city = pick(random, citiesOf(province.code).length ? citiesOf(province.code) : [province]);
    const districts = districtsOf(city.code);
    const district = districts.length ? pick(random, districts) : undefined;
    const [b1zh, b1en] = pick(random, brandSyllables);
    const [b2zh, b2en] = pick(random, brandSyllables);
    const [kindZh, kindEn] = pick(random, companyKinds);
    const mainLeaf = leafOrder[drawLeaf(random)]!;
    const cityZh = isInternational ? '香港' : city.zh.replace(/市$/, '');
    const cityEn = isInternational ? 'Hong Kong' : city.en.replace(/ City$/, '');
    const nameZh = `${cityZh}${b1zh}${b2zh}${kindZh}有限公司${i % 97 === 0 ? `（${i}）` : ''}`;
    const nameEn = `${cityEn} ${b1en}${b2en.toLowerCase()} ${kindEn} Co., Ltd.`;
    // Unique credit codes: the company number in base 31 as the organisation identifier.
    const organisation = i.toString(31).toUpperCase().padStart(9, '0').replace(/[0-9A-U]/g, (c) => '0123456789ABCDEFGHJKLMNPQRTUWXY'.charAt(parseInt(c, 31)));
    const first17 = `91${isInternational ? '440300' : city.code}${organisation}`;
    const roll = random();
    const status = roll < 0.7 ? 'verified' : roll < 0.9 ? 'submitted' : 'draft';
    const mainProducts = [...new Set([mainLeaf.zh, ...mainLeaf.vocabulary.nouns.slice(0, 2).map((n) => n.zh)])];
    const description = `${nameZh}专业生产${mainProducts.join('、')}。${pick(random, descriptionPhrases)}`;
    const row: Insertable<CompanyTable> = {
      id,
      nameZh,
      nameEn,
      creditCode: first17 + creditCodeCheckCharacter(first17),
      licenceFileId: null,
      logoFileId: null,
      country: isInternational ? 'HK' : 'CN',
      provinceCode: isInternational ? null : province.code,
      cityCode: isInternational ? null : city.code,
      districtCode: isInternational ? null : (district?.code ?? null),
      street: `工业大道 ${1 + Math.floor(random() * 900)} 号`,
      phone: `0${10 + Math.floor(random() * 89)}-${8000_0000 + Math.floor(random() * 1999_9999)}`,
      fax: null,
      mainProducts: JSON.stringify(mainProducts),
      description,
      contactPerson: '王经理',
      contactEmail: `sales${i}@supplier.example.cn`,
      contactMobile: null,
      contactAuthorisedAt: null,
      status,
      rejectionReason: null,
      submittedAt: status === 'draft' ? null : created,
      verifiedAt: status === 'verified' ? created : null,
      verifiedChecks: status === 'verified' ? JSON.stringify(['licence', 'creditCode']) : null,
      createdBy: id,
      createdAt: created,
      updatedAt: created,
    };
    const indexed: IndexedCompany = {
      id,
      nameZh,
      nameEn,
      status,
      country: row.country,
      provinceCode: row.provinceCode ?? null,
      cityCode: row.cityCode ?? null,
      description,
      logoFileId: null,
      verifiedAt: row.verifiedAt ?? null,
      mainProducts,
      verifiedChecks: status === 'verified' ? ['licence', 'creditCode'] : [],
      isPublic: status !== 'draft',
      verified: status === 'verified',
    };
    companies.push({ row, indexed });
  }

  // Only verified companies' products are public; suppliers' sizes are Zipf-like too.
  const suppliers = shuffled(random, companies.filter((c) => c.indexed.verified));
  if (suppliers.length === 0) throw new Error('no verified company to own products');
  const drawSupplier = zipf(suppliers.length, 0.7);
  const span = options.end.getTime() - options.start.getTime();

  /** The n-th product of `total` (created in this order, so later means newer). */
  function product(n: number, total: number): CatalogueProduct {
    const company = suppliers[drawSupplier(random)]!;
    const leaf = leafOrder[drawLeaf(random)]!;
    const { vocabulary } = leaf;
    const noun = pick(random, vocabulary.nouns);
    const modifiers = shuffled(random, vocabulary.modifiers).slice(0, Math.floor(random() * 3)).filter((m) => m.zh !== stainless.zh);
    const specs = vocabulary.specs.length ? shuffled(random, vocabulary.specs).slice(0, Math.floor(random() * 3)) : [];
    if (random() < stainlessShare) {
      modifiers.unshift(stainless);
      if (random() < 0.5) specs.unshift(random() < 0.8 ? '304' : '316');
    }
    const titleZh = `${modifiers.map((m) => m.zh).join('')}${noun.zh}${specs.length ? ` ${specs.join(' ')}` : ''}`;
    const titleEn = `${[...modifiers.map((m) => m.en), noun.en].join(' ')}${specs.length ? ` ${specs.join(' ')}` : ''}`;
    const at = new Date(options.start.getTime() + (span * (n + 1)) / total).toISOString();
    const tiers = random() < 0.8 ? [{ minQty: 10, price: (1 + random() * 500).toFixed(2) }, { minQty: 100, price: (1 + random() * 400).toFixed(2) }] : [];
    const moq = Math.max(1, Math.round(10 ** (random() * 4)));
    const certifications = shuffled(random, certificationNames).slice(0, Math.floor(random() * 3));
    return {
      imageCount: Math.floor(random() * 6),
      row: {
        id: uuid(random),
        companyId: company.indexed.id,
        status: 'published',
        titleZh,
        titleEn: random() < 0.9 ? titleEn : null,
        categoryId: leaf.id,
        attributes: JSON.stringify(attributeValues(random, leaf, vocabulary)),
        customAttributes: JSON.stringify(random() < 0.2 ? [{ name: 'OEM', value: '支持' }] : []),
        moq,
        unit: pick(random, units),
        currency: random() < 0.6 ? 'USD' : 'CNY',
        priceTiers: JSON.stringify(tiers),
        priceNegotiable: tiers.length === 0 ? 1 : 0,
        leadTimeDays: 7 + Math.floor(random() * 40),
        packaging: '出口纸箱',
        port: random() < 0.5 ? '宁波' : '深圳',
        incoterms: JSON.stringify(['FOB', 'EXW']),
        hsCode: null,
        certifications: JSON.stringify(certifications),
        description: `<p>${noun.zh}${specs.length ? `，规格 ${specs.join('、')}` : ''}。${pick(random, descriptionPhrases)}</p>`,
        createdBy: company.indexed.id,
        createdAt: at,
        updatedAt: at,
        publishedAt: at,
      },
    };
  }

  return { companies, product, leaves: leafOrder };
}
