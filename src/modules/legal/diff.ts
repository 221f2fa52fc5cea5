import { diffWords } from 'diff';
import type { Locale } from '../../platform/i18n/i18n.js';
import { splitSections, type Section } from './markdown.js';

/** A run of text in a word diff: kept, added or removed. */
export interface DiffPart {
  value: string;
  change: 'same' | 'added' | 'removed';
}

/** How one section differs between two versions. */
export type SectionChange =
  | { status: 'same'; id: string; heading: string }
  | { status: 'changed'; id: string; heading: string; parts: DiffPart[] }
  | { status: 'added' | 'removed'; id: string; heading: string; text: string };

/** Sections are the same section when they carry the same written id, else the same heading. */
function keyOf(section: Section): string {
  return section.hasOwnId ? `id:${section.id}` : `heading:${section.heading}`;
}

/** Words of Chinese have no spaces between them, so words are found by the locale's segmenter. */
function wordDiff(before: string, after: string, locale: Locale): DiffPart[] {
  const changes = diffWords(before, after, { intlSegmenter: new Intl.Segmenter(locale, { granularity: 'word' }), timeout: 2000 });
  // A diff that takes too long is given up: the whole section then shows as replaced.
  if (!changes) return [{ value: before, change: 'removed' }, { value: after, change: 'added' }];
  return changes.map((c) => ({ value: c.value, change: c.added ? 'added' : c.removed ? 'removed' : 'same' }));
}

/**
 * Compares two texts section by section: each section of either text once, in the newer text's
 * order (removed ones where they were), with a word diff for those that changed.
 * @example compareSections(v1Body, v2Body, 'zh-CN').filter((s) => s.status !== 'same')
 */
export function compareSections(before: string, after: string, locale: Locale): SectionChange[] {
  const older = splitSections(before);
  const newer = splitSections(after);
  const olderIndex = new Map(older.map((section, i) => [keyOf(section), i]));
  const newerKeys = new Set(newer.map(keyOf));
  const result: SectionChange[] = [];
  let olderAt = 0;
  const flushRemoved = (until: number) => {
    for (; olderAt < until; olderAt++) {
      const section = older[olderAt]!;
      if (!newerKeys.has(keyOf(section))) result.push({ status: 'removed', id: section.id, heading: section.heading, text: section.text });
    }
  };
  for (const section of newer) {
    const i = olderIndex.get(keyOf(section));
    if (i === undefined) {
      result.push({ status: 'added', id: section.id, heading: section.heading, text: section.text });
      continue;
    }
    flushRemoved(i);
    olderAt = Math.max(olderAt, i + 1);
    const previous = older[i]!;
    if (previous.text === section.text && previous.heading === section.heading) {
      result.push({ status: 'same', id: section.id, heading: section.heading });
    } else {
      const parts = wordDiff(`${previous.heading}\n${previous.text}`, `${section.heading}\n${section.text}`, locale);
      result.push({ status: 'changed', id: section.id, heading: section.heading, parts });
    }
  }
  flushRemoved(older.length);
  return result;
}
