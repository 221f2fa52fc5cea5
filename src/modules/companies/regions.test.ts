import { describe, expect, it } from 'vitest';
import { citiesOf, districtsOf, findRegion, isProvinceCode, provinces } from './regions.js';

describe('provinces', () => {
  it('lists the 31 mainland province-level divisions (no Hong Kong, Macao or Taiwan)', () => {
    expect(provinces()).toHaveLength(31);
    expect(provinces().map((p) => p.code)).not.toContain('810000');
  });

  it('has English names where pinyin would mislead', () => {
    const en = (code: string) => findRegion(code)?.en;
    expect([en('140000'), en('610000'), en('150000'), en('540000')]).toEqual(['Shanxi', 'Shaanxi', 'Inner Mongolia', 'Tibet']);
  });

  it('has every province with at least one city', () => {
    for (const province of provinces()) expect(citiesOf(province.code).length, province.zh).toBeGreaterThan(0);
  });
});

describe('the whole list', () => {
  const all = provinces().flatMap((p) => [p, ...citiesOf(p.code).flatMap((c) => [c, ...districtsOf(c.code)])]);

  it('counts 31 provinces, 369 cities and 2818 districts and counties', () => {
    const count = (level: string) => all.filter((r) => r.level === level).length;
    expect([count('province'), count('city'), count('district')]).toEqual([31, 369, 2818]);
  });

  it('has unique six-digit codes, each found again by findRegion', () => {
    expect(new Set(all.map((r) => r.code)).size).toBe(all.length);
    expect(all.filter((r) => !/^\d{6}$/.test(r.code) || findRegion(r.code) !== r)).toEqual([]);
  });

  it('has a Chinese and an English name on every region', () => {
    const unnamed = all.filter((r) => !/^\p{Script=Han}+$/u.test(r.zh) || !/^[A-Z][a-zü']+(?: [A-Z][a-z]+)?$/.test(r.en));
    expect(unnamed).toEqual([]);
  });

  it('keeps every region inside its parent’s code range', () => {
    expect(all.filter((r) => r.parent && r.code.slice(0, 2) !== r.parent.slice(0, 2))).toEqual([]);
  });
});

describe('lookups', () => {
  it('goes 广东 → 深圳 → 南山', () => {
    const guangdong = provinces().find((p) => p.zh === '广东省');
    const shenzhen = citiesOf('440000').find((c) => c.zh === '深圳市');
    const nanshan = districtsOf('440300').find((d) => d.zh === '南山区');
    expect(guangdong).toEqual({ code: '440000', zh: '广东省', en: 'Guangdong', level: 'province' });
    expect(shenzhen).toEqual({ code: '440300', zh: '深圳市', en: 'Shenzhen', level: 'city', parent: '440000' });
    expect(nanshan).toEqual({ code: '440305', zh: '南山区', en: 'Nanshan', level: 'district', parent: '440300' });
  });

  it.each([
    ['110000', '110100', '北京市', 'Beijing', '110101', '东城区'],
    ['120000', '120100', '天津市', 'Tianjin', '120101', '和平区'],
    ['310000', '310100', '上海市', 'Shanghai', '310115', '浦东新区'],
    ['500000', '500100', '重庆市', 'Chongqing', '500103', '渝中区'],
  ])('gives municipality %s one city, itself, holding its districts', (province, city, zh, en, district, districtZh) => {
    expect(citiesOf(province)).toEqual([{ code: city, zh, en, level: 'city', parent: province }]);
    expect(districtsOf(city).find((d) => d.code === district)?.zh).toBe(districtZh);
  });

  it('puts Chongqing’s counties under the municipality too', () => {
    expect(findRegion('500229')).toMatchObject({ zh: '城口县', level: 'district', parent: '500100' });
    expect(findRegion('500200')).toBeUndefined();
  });

  it('gives Beijing 东城 as a district', () => {
    expect(findRegion('110101')).toEqual({ code: '110101', zh: '东城区', en: 'Dongcheng', level: 'district', parent: '110100' });
  });

  it('lists county-level cities under a province as cities without districts', () => {
    expect(citiesOf('410000').map((c) => c.zh)).toContain('济源市');
    expect(findRegion('419001')).toMatchObject({ level: 'city', parent: '410000' });
    expect(districtsOf('419001')).toEqual([]);
    expect(findRegion('419000')).toBeUndefined();
  });

  it('gives cities without districts (东莞) no districts', () => {
    expect(findRegion('441900')).toMatchObject({ zh: '东莞市', level: 'city' });
    expect(districtsOf('441900')).toEqual([]);
  });

  it('leaves out statistical zones that are not divisions', () => {
    expect(findRegion('320576')).toBeUndefined(); // 苏州工业园区
  });

  it.each([
    ['150602', 'Dongsheng'],
    ['220623', 'Changbai'], // 长白朝鲜族自治县
    ['610100', "Xi'an"],
    ['310112', 'Minhang'],
    ['140400', 'Changzhi'],
    ['510100', 'Chengdu'],
  ])('names %s in English as %s', (code, en) => {
    expect(findRegion(code)?.en).toBe(en);
  });

  it.each(['', '44', '4403', '999999', '440000 ', '810000', '<script>', '__proto__', 'constructor'])(
    'returns nothing for the unknown code %j',
    (code) => {
      expect(findRegion(code)).toBeUndefined();
      expect(citiesOf(code)).toEqual([]);
      expect(districtsOf(code)).toEqual([]);
    },
  );

  it('returns no cities for a city code and no districts for a province code', () => {
    expect(citiesOf('440300')).toEqual([]);
    expect(districtsOf('440000')).toEqual([]);
  });
});

describe('isProvinceCode', () => {
  it.each(['11', '44', '65', '50'])('accepts %s', (code) => {
    expect(isProvinceCode(code)).toBe(true);
  });
  it.each(['00', '10', '19', '71', '81', '82', '99', '4', '440', 'ab', ''])('refuses %j', (code) => {
    expect(isProvinceCode(code)).toBe(false);
  });
});
