/*
 * The standard category tree of the product catalogue, in Chinese and English.
 *
 * Data: data/categories.json, curated by hand after the industry trees buyers know from
 * Alibaba.com and Made-in-China: 20 industries, each two or three levels deep. An industry's id
 * is a slug (`lighting`); every node below it is `<industry>.<slug>` (`lighting.led-high-bay`),
 * whatever group it sits in, so a leaf can move between groups without changing its id.
 *
 * Ids are stored on products (product.category_id) and in search facets, so they are forever:
 * never rename or reuse one. Names, attribute templates and vocabulary may change; an attribute
 * key already in use should stay, since products keep their values under it.
 *
 * Every leaf carries:
 * - an attribute template (3–7 attributes: text, number with its unit, or select with options)
 *   that the product form and the product service use for the leaf's structured attributes;
 * - vocabulary (product nouns, modifiers and spec tokens as traders write them) from which the
 *   search benchmark's catalogue generator and tests build realistic product titles.
 *
 * The file is checked once at load; a malformed file stops the process at start with the path
 * of the offending node, rather than surfacing later as a broken form.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../platform/http/errors.js';
import type { Locale } from '../../platform/i18n/i18n.js';

/** One choice of a select attribute; `value` is what a product stores. */
export interface AttributeOption {
  readonly value: string;
  readonly zh: string;
  readonly en: string;
}

interface AttributeBase {
  /** camelCase, unique within the leaf: the key of the value in a product's attributes. */
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  /** A symbol written after the value in both languages (W, mm, kg, m³/h …), if any. */
  readonly unit?: string;
}

/** One attribute of a leaf's template: free text, a number (in `unit`), or one of `options`. */
export type AttributeTemplate =
  | (AttributeBase & { readonly type: 'text' | 'number'; readonly options?: undefined })
  | (AttributeBase & { readonly type: 'select'; readonly options: readonly AttributeOption[] });

export type AttributeType = AttributeTemplate['type'];

/** A word or phrase in both languages. */
export interface VocabularyTerm {
  readonly zh: string;
  readonly en: string;
}

/** Words a realistic product title of a leaf is built from, e.g. 防水 LED工矿灯 150W. */
export interface CategoryVocabulary {
  /** 4–8 product nouns: LED工矿灯 / LED high bay light. */
  readonly nouns: readonly VocabularyTerm[];
  /** 4–8 words put before a noun: 防水 / waterproof. */
  readonly modifiers: readonly VocabularyTerm[];
  /** 3–6 spec tokens as traders write them, the same in both languages: 150W, IP65, M8x20. */
  readonly specs: readonly string[];
}

interface CategoryBase {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  /** Null for an industry (a root). */
  readonly parentId: string | null;
  /** 1 for an industry, 2 for its children, 3 at most. */
  readonly depth: number;
  /** Ids of the children, in file order; empty for a leaf. */
  readonly children: readonly string[];
}

/** An industry or a group: it has children and no template. */
export interface BranchCategory extends CategoryBase {
  readonly isLeaf: false;
  readonly attributes?: undefined;
  readonly vocabulary?: undefined;
}

/** A category products are listed in: it has an attribute template and vocabulary. */
export interface LeafCategory extends CategoryBase {
  readonly isLeaf: true;
  readonly attributes: readonly AttributeTemplate[];
  readonly vocabulary: CategoryVocabulary;
}

export type Category = BranchCategory | LeafCategory;

const maxDepth = 3;
const slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const name = z
  .string()
  .min(1)
  .max(80)
  .refine((s) => s.trim() === s, 'has leading or trailing spaces');
const term = z.strictObject({ zh: name, en: name });

const attributeFile = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'is not a camelCase key').max(40),
    zh: name,
    en: name,
    type: z.enum(['text', 'number', 'select']),
    unit: z.string().min(1).max(16).optional(),
    options: z
      .array(z.strictObject({ value: z.string().regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'is not an option code').max(40), zh: name, en: name }))
      .min(2)
      .optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.type === 'select') !== (a.options !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a select attribute needs options, and only a select has them' });
    }
    if (a.options && new Set(a.options.map((o) => o.value)).size !== a.options.length) {
      ctx.addIssue({ code: 'custom', message: 'option values repeat' });
    }
  });

const vocabularyFile = z.strictObject({
  nouns: z.array(term).min(4).max(8),
  modifiers: z.array(term).min(4).max(8),
  specs: z.array(z.string().regex(/^\S{1,24}$/, 'is not a spec token')).min(3).max(6),
});

interface NodeFile {
  id: string;
  zh: string;
  en: string;
  children?: NodeFile[];
  attributes?: z.infer<typeof attributeFile>[];
  vocabulary?: z.infer<typeof vocabularyFile>;
}

const nodeFile: z.ZodType<NodeFile> = z.lazy(() =>
  z
    .strictObject({
      id: z.string().max(80),
      zh: name,
      en: name,
      children: z.array(nodeFile).min(1).optional(),
      attributes: z.array(attributeFile).min(3).max(7).optional(),
      vocabulary: vocabularyFile.optional(),
    })
    .superRefine((node, ctx) => {
      const isLeaf = node.children === undefined;
      if (isLeaf && (!node.attributes || !node.vocabulary)) {
        ctx.addIssue({ code: 'custom', message: `leaf ${node.id} needs attributes and vocabulary` });
      }
      if (!isLeaf && (node.attributes || node.vocabulary)) {
        ctx.addIssue({ code: 'custom', message: `${node.id} has children, so no attributes or vocabulary` });
      }
      if (node.attributes && new Set(node.attributes.map((a) => a.key)).size !== node.attributes.length) {
        ctx.addIssue({ code: 'custom', message: `${node.id} repeats an attribute key` });
      }
    }),
);

/** The tree, looked up by id: what the functions below read. */
export interface CategoryIndex {
  readonly roots: readonly Category[];
  readonly leaves: readonly LeafCategory[];
  readonly byId: ReadonlyMap<string, Category>;
  readonly paths: ReadonlyMap<string, readonly Category[]>;
  readonly ancestors: ReadonlyMap<string, readonly string[]>;
}

function fail(message: string): never {
  throw new Error(`categories.json: ${message}`);
}

/** "lighting.led-high-bay: attributes.1.type: Invalid option …": the nearest node's id, then the rest of the path. */
function describeIssue(raw: unknown, issue: z.ZodIssue): string {
  let value = raw;
  let id: string | undefined;
  let rest = issue.path;
  issue.path.forEach((key, i) => {
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    const nodeId = value !== null && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
    if (typeof nodeId === 'string') {
      id = nodeId;
      rest = issue.path.slice(i + 1);
    }
  });
  return [id, rest.map(String).join('.'), issue.message].filter(Boolean).join(': ');
}

/** Objects from the file are shared with every caller, so nothing in them may be changed. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Checks the contents of categories.json and indexes it, frozen; throws an Error naming the
 * offending node when the file breaks a rule. Exported for its tests; everything else reads the
 * tree loaded at start through the functions below.
 * @example indexCategoryFile(JSON.parse(text)).byId.get('energy')?.en // 'Energy'
 */
export function indexCategoryFile(raw: unknown): CategoryIndex {
  const parsed = z.array(nodeFile).min(1).safeParse(raw);
  if (!parsed.success) fail(parsed.error.issues.map((issue) => describeIssue(raw, issue)).join('; '));

  const byId = new Map<string, Category>();
  const paths = new Map<string, readonly Category[]>();
  const ancestors = new Map<string, readonly string[]>();
  const roots: Category[] = [];
  const leaves: LeafCategory[] = [];

  function add(node: NodeFile, parent: Category | null, root: string): void {
    const depth = parent ? parent.depth + 1 : 1;
    if (parent ? !node.id.startsWith(`${root}.`) || !slug.test(node.id.slice(root.length + 1)) : !slug.test(node.id)) {
      fail(`id ${node.id} should be ${parent ? `${root}.<slug>` : 'a lowercase slug'}`);
    }
    if (byId.has(node.id)) fail(`id ${node.id} appears twice`);
    if (depth > maxDepth) fail(`${node.id} is deeper than ${maxDepth} levels`);
    if (!parent && !node.children) fail(`industry ${node.id} has no children`);

    const base = { id: node.id, zh: node.zh, en: node.en, parentId: parent?.id ?? null, depth, children: (node.children ?? []).map((c) => c.id) };
    // The schema ties options to select attributes, which is what the AttributeTemplate union says.
    const category: Category =
      node.attributes && node.vocabulary
        ? { ...base, isLeaf: true, attributes: node.attributes as AttributeTemplate[], vocabulary: node.vocabulary }
        : { ...base, isLeaf: false };
    deepFreeze(category);
    byId.set(category.id, category);
    const path = Object.freeze([...(parent ? (paths.get(parent.id) ?? []) : []), category]);
    paths.set(category.id, path);
    ancestors.set(category.id, Object.freeze(path.map((c) => c.id)));
    if (!parent) roots.push(category);
    if (category.isLeaf) leaves.push(category);
    for (const child of node.children ?? []) add(child, category, root);
  }

  for (const node of parsed.data) add(node, null, node.id);
  return { roots: Object.freeze(roots), leaves: Object.freeze(leaves), byId, paths, ancestors };
}

const { roots, leaves, byId, paths, ancestors } = indexCategoryFile(
  JSON.parse(readFileSync(new URL('./data/categories.json', import.meta.url), 'utf8')),
);

/**
 * The industries (roots of the tree), in file order.
 * @example categoryTree().map((c) => c.id) // ['machinery', 'electronics', 'lighting', …]
 */
export function categoryTree(): readonly Category[] {
  return roots;
}

/**
 * The category with this id, or undefined.
 * @example findCategory('lighting.led-high-bay')?.zh // 'LED工矿灯'
 */
export function findCategory(id: string): Category | undefined {
  return byId.get(id);
}

/**
 * The category with this id; throws NOT_FOUND (404) for an unknown id.
 * @example getCategory('lighting').children // ['lighting.industrial-commercial', …]
 */
export function getCategory(id: string): Category {
  return byId.get(id) ?? notFound();
}

function notFound(): never {
  throw new AppError('NOT_FOUND');
}

/**
 * Every leaf, depth first in file order: the categories a product can be listed in.
 * @example leafCategories().find((c) => c.id === 'energy.solar-panels')?.attributes.map((a) => a.key)
 */
export function leafCategories(): readonly LeafCategory[] {
  return leaves;
}

/**
 * The categories from the industry down to this one (breadcrumbs); throws NOT_FOUND for an unknown id.
 * @example categoryPath('lighting.led-high-bay').map((c) => c.en) // ['Lighting', 'Industrial & Commercial Lighting', 'LED High Bay Lights']
 */
export function categoryPath(id: string): readonly Category[] {
  return paths.get(id) ?? notFound();
}

/**
 * Ids from the industry down to this category, itself included (a product's search facet
 * values); throws NOT_FOUND for an unknown id.
 * @example ancestorIds('lighting.led-high-bay') // ['lighting', 'lighting.industrial-commercial', 'lighting.led-high-bay']
 */
export function ancestorIds(id: string): readonly string[] {
  return ancestors.get(id) ?? notFound();
}

/**
 * The name in the reader's language; works for categories, attributes, options and vocabulary terms alike.
 * @example categoryName(getCategory('energy'), 'en') // 'Energy'
 */
export function categoryName(category: { readonly zh: string; readonly en: string }, locale: Locale): string {
  return locale === 'en' ? category.en : category.zh;
}

/** Whether a product can be listed under this id (a known leaf); false for groups and unknown ids. */
export function isLeafCategory(id: string): boolean {
  return byId.get(id)?.isLeaf === true;
}
