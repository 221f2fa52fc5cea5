import { stemmer } from 'stemmer';
import { normalizeForSearch } from './normalize-for-search.js';
import { getSegmenter } from './segmenter.js';

/**
 * The text analyser shared by product search's index and queries: both sides must cut text into
 * the same words, or a query misses what was indexed.
 *
 * Rules, in order:
 * 1. Input is cut to a bounded length (queries 2,000 characters, indexed text 20,000), then
 *    normalised character by character: NFKD (full-width `ＬＥＤ１００Ｗ` becomes `led100w`),
 *    accents and invisible format characters removed, lower-cased. Only `a–z`, `0–9`, Han
 *    characters and the spec joiners `. - * × '` survive; everything else (punctuation, emoji,
 *    control characters, quotes, brackets, other scripts) separates words.
 * 2. Runs holding Han characters are segmented with jieba `cut` (default dictionary plus
 *    trade-dict.txt); Latin stretches between Han words are put back together first, so jieba
 *    never splits a spec such as `1.5mm`.
 * 3. Latin words: letters only → stop words dropped, Porter-stemmed (`lights` → `light`);
 *    with a digit → kept whole (`ip65`, `500ml`, `1.5mm`). Inside a word, `×` or `*` between
 *    digits becomes `x` (`M8×20`, `m8*20` → `m8x20`), `.` stays between digits only, and an
 *    apostrophe is dropped (`men's` → `men`). A number followed by a Chinese unit is one spec
 *    too (`3吨`, `1.8米`, `8.8级`).
 * 4. Hyphens: a hyphenated word with a digit is a model number, joined without the hyphen
 *    (`XYZ-2000` → `xyz2000`) except between two digits, where the hyphen stays (`2000-3000`);
 *    a hyphenated word of letters only is its separate words (`stainless-steel`).
 * 5. Index-only extras, so shorter queries find longer words: every Han word adds its single
 *    characters and its 2- to 4-character substrings (a superset of what jieba's `cutForSearch`
 *    adds: `不锈钢无缝钢管` is found by `钢管`); a model number adds its parts (`xyz`, `2000`);
 *    a letters-only hyphenated word adds its joined form (`wifi`); a word mixing Latin and Han
 *    from the dictionary (`t恤`) adds both halves.
 * 6. Both sides drop English stop words and Chinese particles. Queries also drop extras, single
 *    Han characters unless the query has nothing else, and repeats, and keep at most 16 tokens.
 *
 * Every token therefore matches `^[a-z0-9\p{Script=Han}.-]{1,64}$` and contains no operator of
 * SQLite FTS5 or PostgreSQL tsquery; `.` and `-` only ever appear between two digits.
 */

/** Bump whenever the tokens produced for a text change (rules, trade-dict.txt), so indexes get rebuilt. */
export const analyzerVersion = '2026-11-29.1';

const queryMaxChars = 2_000;
const queryMaxTokens = 16;
const indexMaxChars = 20_000;
const tokenMaxChars = 64;
const substringMaxChars = 4;

const englishStopWords = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'is', 'of', 'on', 'or', 'the', 'to', 'with',
]);
const chineseStopWords = new Set([
  '的', '了', '和', '与', '及', '或', '等', '之', '以及', '或者', '并且', '而且', '也', '都', '是', '在', '着', '吗', '呢', '吧', '啊',
]);

/** Units that make a number before them a spec; jieba cuts them off as words of their own. */
const chineseUnits = new Set([
  '吨', '公斤', '千克', '克', '斤', '升', '毫升', '米', '厘米', '毫米', '公分', '寸', '英寸', '瓦', '千瓦', '伏', '安',
  '匹', '级', '层', '号', '芯', '孔', '目', '度', '位', '门', '平方', '立方', '方',
]);

const hanCharacter = /\p{Script=Han}/u;
const hanWord = /^\p{Script=Han}+$/u;
const mixedWord = /^[a-z0-9\p{Script=Han}]+$/u;
const scriptRuns = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
const alphanumeric = /^[a-z0-9]$/;
const latinCharacter = /[a-z0-9]/;
const digit = /^[0-9]$/;
const letters = /^[a-z]+$/;

/** A token and the range of the original text it came from; extras go into the index only. */
interface Term {
  token: string;
  start: number;
  end: number;
  isExtra: boolean;
}

/** Receives a token found at [start, end) of the normalised text. */
type Emit = (token: string, start: number, end: number, isExtra: boolean) => void;

/** Tokens to store in the index for a text (title, attributes, description …), deduplicated. */
export function indexTokens(text: string): string[] {
  return [...new Set(analyze(text, indexMaxChars).map((term) => term.token))];
}

/** Tokens a query must all match (AND), deduplicated, in query order; [] when nothing searchable remains. */
export function queryTokens(text: string): string[] {
  return selectQueryTerms(analyze(text, queryMaxChars)).map((term) => term.token);
}

/** Terms to highlight in a displayed text for a query (the original surface forms), for <mark>. */
export function highlightTerms(query: string): string[] {
  const input = bounded(query, queryMaxChars);
  const terms = analyze(input, queryMaxChars);
  const wanted = new Set(selectQueryTerms(terms).map((term) => term.token));
  const surfaces = terms
    .filter((term) => !term.isExtra && wanted.has(term.token))
    .map((term) => input.slice(term.start, term.end));
  return [...new Set(surfaces)];
}

/**
 * Splits a display text into parts, marking the parts that match the query's terms (case-insensitive,
 * English matched on word stems so "lights" highlights for "light"); used to render <mark> safely.
 *
 * @example highlight('LED Lights', 'light') // [{ text: 'LED ', match: false }, { text: 'Lights', match: true }]
 */
export function highlight(text: string, query: string): { text: string; match: boolean }[] {
  if (typeof text !== 'string' || text === '') return [];
  const wanted = new Set(queryTokens(query));
  const spans = analyze(text, indexMaxChars)
    .filter((term) => wanted.has(term.token))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: { text: string; match: boolean }[] = [];
  let cursor = 0;
  let markStart = 0;
  let markEnd = -1;
  const closeMark = () => {
    if (markEnd < 0) return;
    if (markStart > cursor) parts.push({ text: text.slice(cursor, markStart), match: false });
    parts.push({ text: text.slice(markStart, markEnd), match: true });
    cursor = markEnd;
  };
  for (const span of spans) {
    if (span.start <= markEnd) {
      markEnd = Math.max(markEnd, span.end);
      continue;
    }
    closeMark();
    markStart = span.start;
    markEnd = span.end;
  }
  closeMark();
  if (cursor < text.length) parts.push({ text: text.slice(cursor), match: false });
  return parts;
}

/**
 * The query side's words: extras never (they exist so the index covers sub-words), each token
 * once, and single Han characters only when the query is made of nothing else ('灯' alone
 * searches for 灯; in 'LED 灯' the single character would only narrow noisily).
 */
function selectQueryTerms(terms: Term[]): Term[] {
  const firsts = new Map<string, Term>();
  for (const term of terms) {
    if (!term.isExtra && !firsts.has(term.token)) firsts.set(term.token, term);
  }
  const words = [...firsts.values()];
  const isSingleHan = (term: Term) => term.token.length <= 2 && [...term.token].length === 1 && hanWord.test(term.token);
  const kept = words.every(isSingleHan) ? words : words.filter((term) => !isSingleHan(term));
  return kept.slice(0, queryMaxTokens);
}

/** Every term of a text, in text order, with offsets into the (bounded) original text. */
function analyze(text: string, maxChars: number): Term[] {
  const input = bounded(text, maxChars);
  const { chars, from, to } = normalizeForSearch(input);
  const terms: Term[] = [];
  const emit: Emit = (token, start, end, isExtra) => {
    const clipped = clip(token);
    if (clipped === '') return;
    terms.push({ token: clipped, start: from[start] ?? 0, end: to[end - 1] ?? input.length, isExtra });
  };
  for (const chunk of chars.matchAll(/[^ ]+/g)) {
    if (hanCharacter.test(chunk[0])) segmentMixed(chunk[0], chunk.index, emit);
    else segmentLatin(chunk[0], chunk.index, false, emit);
  }
  return terms;
}

/** The text cut to at most maxChars UTF-16 units, never inside a surrogate pair; non-strings become ''. */
function bounded(text: string, maxChars: number): string {
  if (typeof text !== 'string') return '';
  if (text.length <= maxChars) return text;
  const code = text.charCodeAt(maxChars - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars);
}

/** A chunk holding Han characters: jieba words, with the Latin stretches between them reassembled. */
function segmentMixed(chunk: string, offset: number, emit: Emit): void {
  let pieces = getSegmenter().cut(chunk, true);
  // Offsets rely on the pieces covering the chunk exactly; fall back to script runs if they ever do not.
  if (pieces.join('') !== chunk) pieces = chunk.match(scriptRuns) ?? [];
  let position = 0;
  let latinStart = -1;
  for (const piece of pieces) {
    if (hanCharacter.test(piece)) {
      const stretch = latinStart >= 0 ? chunk.slice(latinStart, position) : '';
      if (chineseUnits.has(piece) && /[0-9]$/.test(stretch)) {
        emitQuantity(stretch, piece, offset + latinStart, emit);
      } else {
        if (stretch !== '') segmentLatin(stretch, offset + latinStart, false, emit);
        emitWord(piece, offset + position, emit);
      }
      latinStart = -1;
    } else if (latinStart < 0) {
      latinStart = position;
    }
    position += piece.length;
  }
  if (latinStart >= 0) segmentLatin(chunk.slice(latinStart), offset + latinStart, false, emit);
}

/**
 * A number followed by a Chinese unit ('3吨', '1.8米', '8.8级') is one spec like '100w': the
 * quantity is the word, the bare number and the unit become index extras.
 */
function emitQuantity(stretch: string, unit: string, offset: number, emit: Emit): void {
  const found: Parameters<Emit>[] = [];
  segmentLatin(stretch, offset, false, (...term) => found.push(term));
  const end = offset + stretch.length;
  const number = found.findLast(([token, , termEnd, isExtra]) => !isExtra && termEnd === end && /[0-9]$/.test(token));
  for (const term of found) {
    if (term === number) emit(term[0], term[1], term[2], true);
    else emit(...term);
  }
  if (number !== undefined) emit(number[0] + unit, number[1], end + unit.length, false);
  emitHan(unit, end, number !== undefined, emit);
}

/** A jieba word: Han only, or a dictionary word mixing Latin and Han (`t恤`, `a4纸`). */
function emitWord(word: string, offset: number, emit: Emit): void {
  if (hanWord.test(word)) {
    emitHan(word, offset, false, emit);
    return;
  }
  const isDictionaryMix = mixedWord.test(word);
  if (isDictionaryMix) {
    emit(word, offset, offset + word.length, false);
    // Mixed sub-words need the dictionary ('t恤' inside 't恤衫'); substrings would invent ones like 'd恤'.
    for (const part of getSegmenter().cutForSearch(word, true)) {
      const at = word.indexOf(part);
      if (part !== word && at >= 0 && hanCharacter.test(part) && latinCharacter.test(part)) {
        emit(part, offset + at, offset + at + part.length, true);
      }
    }
  }
  let position = 0;
  for (const run of word.match(scriptRuns) ?? []) {
    if (hanWord.test(run)) emitHan(run, offset + position, isDictionaryMix, emit);
    else segmentLatin(run, offset + position, isDictionaryMix, emit);
    position += run.length;
  }
}

/** A Han word, plus (index only) its single characters and its substrings of 2 to 4 characters. */
function emitHan(word: string, offset: number, isExtra: boolean, emit: Emit): void {
  if (chineseStopWords.has(word)) return;
  emit(word, offset, offset + word.length, isExtra);
  const characters = [...word];
  if (characters.length < 2) return;
  const starts: number[] = [0];
  for (const character of characters) starts.push((starts.at(-1) ?? 0) + character.length);
  const longest = Math.min(substringMaxChars, characters.length - 1);
  for (let size = 1; size <= longest; size++) {
    for (let i = 0; i + size <= characters.length; i++) {
      const substring = characters.slice(i, i + size).join('');
      if (size === 1 && chineseStopWords.has(substring)) continue;
      emit(substring, offset + (starts[i] ?? 0), offset + (starts[i + size] ?? 0), true);
    }
  }
}

/** One part of a (possibly hyphenated) Latin word, with its range in the chunk. */
interface LatinPart {
  text: string;
  start: number;
  end: number;
}

/** A stretch without Han characters: words of letters, digits and spec joiners. */
function segmentLatin(run: string, offset: number, isExtra: boolean, emit: Emit): void {
  const isAlphanumeric = (c: string | undefined) => c !== undefined && alphanumeric.test(c);
  let i = 0;
  while (i < run.length) {
    if (!isAlphanumeric(run[i])) {
      i++;
      continue;
    }
    const parts: LatinPart[] = [];
    let text = '';
    let partStart = i;
    let j = i;
    // A joiner only joins when an alphanumeric follows; the character before it always is one.
    for (; ; j++) {
      const c = run[j];
      if (isAlphanumeric(c)) {
        text += c;
        continue;
      }
      const next = run[j + 1];
      if (!isAlphanumeric(next)) break;
      if (c === '-') {
        parts.push({ text, start: partStart, end: j });
        text = '';
        partStart = j + 1;
        continue;
      }
      const joined = joinerText(c, run[j - 1], next);
      if (joined === undefined) break;
      text += joined;
    }
    parts.push({ text, start: partStart, end: j });
    emitLatinWord(parts, offset, isExtra, emit);
    i = j;
  }
}

/** What a joiner between two alphanumerics adds to the word, or undefined when it separates words. */
function joinerText(joiner: string | undefined, before: string | undefined, after: string | undefined): string | undefined {
  const isBetweenDigits = before !== undefined && after !== undefined && digit.test(before) && digit.test(after);
  if (joiner === "'") return '';
  if ((joiner === '×' || joiner === '*') && isBetweenDigits) return 'x';
  if (joiner === '.' && isBetweenDigits) return '.';
  return undefined;
}

function emitLatinWord(parts: LatinPart[], offset: number, isExtra: boolean, emit: Emit): void {
  const emitPart = (part: LatinPart, asExtra: boolean) => {
    const token = latinToken(part.text);
    if (token !== undefined) emit(token, offset + part.start, offset + part.end, asExtra);
  };
  const [first] = parts;
  const last = parts.at(-1);
  if (first === undefined || last === undefined) return;
  if (parts.length === 1) {
    emitPart(first, isExtra);
    return;
  }
  if (parts.some((part) => /[0-9]/.test(part.text))) {
    let joined = first.text;
    for (let k = 1; k < parts.length; k++) {
      const before = parts[k - 1]?.text ?? '';
      const part = parts[k]?.text ?? '';
      joined += (/[0-9]$/.test(before) && /^[0-9]/.test(part) ? '-' : '') + part;
    }
    emit(joined, offset + first.start, offset + last.end, isExtra);
    for (const part of parts) emitPart(part, true);
    return;
  }
  for (const part of parts) emitPart(part, isExtra);
  emit(stemmer(clip(parts.map((part) => part.text).join(''))), offset + first.start, offset + last.end, true);
}

/** Letters only: stemmed, or undefined for a stop word. With a digit: the spec as it is. */
function latinToken(word: string): string | undefined {
  if (!letters.test(word)) return word;
  if (englishStopWords.has(word)) return undefined;
  return stemmer(clip(word));
}

/** At most tokenMaxChars characters, never ending in a joiner. */
function clip(token: string): string {
  if (token.length <= tokenMaxChars) return token;
  return [...token].slice(0, tokenMaxChars).join('').replace(/[.-]+$/, '');
}
