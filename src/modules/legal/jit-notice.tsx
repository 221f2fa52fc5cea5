import type { DataMap } from '../../platform/privacy/data-map.js';
import type { PageContext } from '../../platform/views/context.js';
import { categoryAnchor, dataSectionId, dataTextKey, describeUse, usesByCategory } from './data-section.js';

/** A column a form collects, named as in the database: `['account', 'email']`. */
export type CollectedColumn = readonly [table: string, column: string];

/**
 * A just-in-time notice for a form: for each category of personal data the listed columns hold,
 * what it is used for, on what legal basis, how long it is kept and whether it may be left out,
 * in the page's language and generated from the data map, with a link to the statement's section.
 * A column the data map does not declare is a programming error and throws.
 * @example <JitNotice ctx={ctx} dataMap={request.server.silkline.dataMap} columns={[['account', 'email']]} />
 */
export function JitNotice({ ctx, dataMap, columns, id = 'jit-notice' }: { ctx: PageContext; dataMap: DataMap; columns: readonly CollectedColumn[]; id?: string }) {
  const { t } = ctx;
  const classes = columns.map(([table, column]) => {
    const entry = dataMap[table]?.[column];
    if (!entry) throw new Error(`The data map does not declare ${table}.${column}`);
    return entry;
  });
  const uses = usesByCategory(classes);
  if (uses.size === 0) return null;
  return (
    <aside class="collection-notice jit-notice" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{t('legal.jit.title')}</h2>
      <ul>
        {[...uses].map(([category, list]) => (
          <li key={category} data-category={category}>
            <strong>{t(dataTextKey.category(category))}</strong>
            {t('legal.jit.colon')}
            {list.map((use) => describeUse(t, use)).join(t('legal.jit.separator'))}{' '}
            <a href={`/legal#${categoryAnchor(category)}`}>{t('legal.jit.details')}</a>
          </li>
        ))}
      </ul>
      <p>
        {t('legal.jit.footer')} <a href={`/legal#${dataSectionId}`}>{t('legal.document.privacy')}</a>
      </p>
    </aside>
  );
}
