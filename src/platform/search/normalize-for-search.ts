const hanCharacter = /\p{Script=Han}/u;
const alphanumeric = /^[a-z0-9]$/;
const invisible = /^[\p{M}\p{Cf}]$/u;
const marks = /\p{M}/gu;

/** A normalised text: one character per entry of from/to, which give its range in the original text. */
export interface NormalizedText {
  chars: string;
  from: number[];
  to: number[];
}

/**
 * The searchable characters of a text, each with the range [from, to) of the original it came
 * from (a character can expand, '㎜' → 'mm'; removed accents and format characters widen the range
 * of the character before them), so highlights land on the original text.
 *
 * Characters become lower-case `a–z`, `0–9`, Han characters, the spec joiners `. - * × '`, or a
 * space that separates words (punctuation, emoji, control characters, other scripts).
 *
 * @example normalizeForSearch('ＬＥＤ，Ⅲ').chars // 'led iii'
 */
export function normalizeForSearch(text: string): NormalizedText {
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    const width = (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    const mapped = mapCharacter(text.slice(i, i + width));
    if (mapped === '' && to.length > 0) to[to.length - 1] = i + width;
    for (let k = 0; k < mapped.length; k++) {
      out.push(mapped.charAt(k));
      from.push(i);
      to.push(i + width);
    }
    i += width;
  }
  return { chars: out.join(''), from, to };
}

/** One original character (code point) as searchable characters: '' to remove it, ' ' to separate words. */
function mapCharacter(character: string): string {
  const code = character.charCodeAt(0);
  if (code < 0x80) return keepCharacter(character.toLowerCase());
  if (code >= 0x4e00 && code <= 0x9fff) return character;
  if (invisible.test(character)) return '';
  let mapped = '';
  for (const c of character.normalize('NFKD').replace(marks, '').toLowerCase()) mapped += keepCharacter(c);
  return mapped;
}

function keepCharacter(c: string): string {
  if (alphanumeric.test(c) || c === '.' || c === '-' || c === '*' || c === '×' || c === "'") return c;
  if (c === '\u2019') return "'";
  if (c >= '\u2010' && c <= '\u2013') return '-';
  if (hanCharacter.test(c)) return c;
  return ' ';
}
