import { describe, expect, it } from 'vitest';
import { normalizeForSearch } from './normalize-for-search.js';

describe('normalizeForSearch', () => {
  it('folds width, case, accents and compatibility forms', () => {
    expect(normalizeForSearch('ＬＥＤ，Ⅲ Café ㎜ 丶⼯').chars).toBe('led iii cafe mm 丶工');
  });

  it('keeps spec joiners and separates everything else', () => {
    expect(normalizeForSearch('M8×20 1.5mm a-b it’s "x"(y)#z🙂').chars).toBe("m8×20 1.5mm a-b it's  x  y  z ");
  });

  it('maps each character back to its range in the original text', () => {
    const text = '🔥Ｅ\u0301㎜';
    const { chars, from, to } = normalizeForSearch(text);
    expect(chars).toBe(' emm');
    expect(from).toEqual([0, 2, 4, 4]);
    expect(to).toEqual([2, 4, 5, 5]);
  });
});
