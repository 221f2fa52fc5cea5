import type { PageContext } from '../../platform/views/context.js';
import { Field, PostForm, Select, TextArea } from '../../platform/views/components.js';
import type { FieldErrors } from '../../platform/http/errors.js';
import type { FormState, Values } from '../../platform/http/forms.js';
import { publicFileUrl } from '../../platform/storage/public-files.js';
import { categoryName, categoryPath, categoryTree, findCategory, leafCategories, type Category } from '../catalogue/index.js';
import { currencies, incoterms, maxCustomAttributes, maxPriceTiers, units } from './schema.js';
import type { ProductView } from './service.js';
import type { ProductStatus } from './tables.js';

export type { FormState, Values };

export function StatusBadge({ ctx, status }: { ctx: PageContext; status: ProductStatus }) {
  return <span class={`badge badge-product-${status}`}>{ctx.t(`products.status.${status}`)}</span>;
}

/** "Lighting › LED lighting › High bay lights" in the page language. */
export function categoryTrail(ctx: PageContext, categoryId: string): string {
  return categoryPath(categoryId)
    .map((c) => categoryName(c, ctx.locale))
    .join(' › ');
}

/** Every leaf grouped under its industry, for a select with optgroups. */
export function CategorySelect({ ctx, value, error }: { ctx: PageContext; value?: string; error?: string }) {
  const id = 'field-categoryId';
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{ctx.t('products.field.category')}<span class="required" aria-hidden="true"> *</span></label>
      <select id={id} name="categoryId" required aria-invalid={error ? 'true' : undefined} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
        <option value="">{ctx.t('products.field.choose')}</option>
        {categoryTree().map((root) => (
          <optgroup key={root.id} label={categoryName(root, ctx.locale)}>
            {leafCategories()
              .filter((leaf) => categoryPath(leaf.id)[0]?.id === root.id)
              .map((leaf) => (
                <option key={leaf.id} value={leaf.id} selected={leaf.id === value}>
                  {categoryPath(leaf.id).slice(1).map((c) => categoryName(c, ctx.locale)).join(' › ')}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <p class="hint" id={`${id}-hint`}>{ctx.t('products.new.categoryHint')}</p>
      {error ? <p class="error-text" id={`${id}-error`}>{ctx.t(error)}</p> : null}
    </div>
  );
}

/** The form's values from a saved product (the same names the form posts). */
export function productValues(p: ProductView): Values {
  const values: Values = {
    titleZh: p.titleZh ?? '',
    titleEn: p.titleEn ?? '',
    categoryId: p.categoryId,
    moq: String(p.moq),
    unit: p.unit,
    currency: p.currency,
    priceNegotiable: p.priceNegotiable ? 'on' : '',
    leadTimeDays: p.leadTimeDays === null ? '' : String(p.leadTimeDays),
    packaging: p.packaging ?? '',
    port: p.port ?? '',
    incoterms: p.incoterms.join(','),
    hsCode: p.hsCode ?? '',
    certifications: p.certifications.join(', '),
    description: p.description,
  };
  for (const [key, value] of Object.entries(p.attributes)) values[`attr.${key}`] = value;
  p.priceTiers.forEach((tier, i) => {
    values[`tier${i + 1}Qty`] = String(tier.minQty);
    values[`tier${i + 1}Price`] = tier.price;
  });
  p.customAttributes.forEach((a, i) => {
    values[`custom${i + 1}Name`] = a.name;
    values[`custom${i + 1}Value`] = a.value;
  });
  return values;
}

function AttributeFields({ ctx, category, v, e }: { ctx: PageContext; category: Category; v: Values; e: FieldErrors }) {
  const known = new Set((category.attributes ?? []).map((a) => `attr.${a.key}`));
  // Errors about attributes the template lacks (sent through the API or a stale form) are listed too.
  const unknown = Object.entries(e).filter(([field]) => field.startsWith('attr.') && !known.has(field));
  return (
    <>
      {unknown.map(([field, message]) => (
        <p class="error-text" role="alert" key={field}>{field.slice(5)}: {ctx.t(message)}</p>
      ))}
      {(category.attributes ?? []).map((a) => {
        const name = `attr.${a.key}`;
        const label = `${ctx.locale === 'en' ? a.en : a.zh}${a.unit ? ` (${a.unit})` : ''}`;
        return a.type === 'select' ? (
          <Select key={a.key} ctx={ctx} name={name} label={label} value={v[name]} error={e[name]} empty={ctx.t('products.field.choose')}
            options={(a.options ?? []).map((o) => ({ value: o.value, label: ctx.locale === 'en' ? o.en : o.zh }))} />
        ) : (
          <Field key={a.key} ctx={ctx} name={name} label={label} value={v[name]} error={e[name]} maxLength={100}
            inputMode={a.type === 'number' ? 'numeric' : undefined} />
        );
      })}
    </>
  );
}

/** The whole product form for one leaf category (its attribute template decides the attributes). */
export function ProductForm({ ctx, action, categoryId, state, changeCategoryHref }: { ctx: PageContext; action: string; categoryId: string; state: FormState; changeCategoryHref: string }) {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const category = findCategory(categoryId)!;
  const chosenIncoterms = new Set((v.incoterms ?? '').split(','));
  return (
    <PostForm ctx={ctx} action={action}>
      <input type="hidden" name="categoryId" value={categoryId} />
      <fieldset>
        <legend>{ctx.t('products.form.basics')}</legend>
        <p>
          {ctx.t('products.field.category')}: <strong>{categoryTrail(ctx, categoryId)}</strong>{' '}
          <a href={changeCategoryHref}>{ctx.t('products.edit.changeCategory')}</a>
        </p>
        {e.categoryId ? <p class="error-text">{ctx.t(e.categoryId)}</p> : null}
        <Field ctx={ctx} name="titleZh" label={ctx.t('products.field.titleZh')} value={v.titleZh} error={e.titleZh} maxLength={120} hint={ctx.t('products.field.titleHint')} />
        <Field ctx={ctx} name="titleEn" label={ctx.t('products.field.titleEn')} value={v.titleEn} error={e.titleEn} maxLength={200} />
      </fieldset>
      <fieldset>
        <legend>{ctx.t('products.form.attributes')}</legend>
        <AttributeFields ctx={ctx} category={category} v={v} e={e} />
      </fieldset>
      <fieldset>
        <legend>{ctx.t('products.form.customAttributes')}</legend>
        {Array.from({ length: Math.min(5, maxCustomAttributes) }, (_, i) => (
          <div class="field-row" key={i}>
            <Field ctx={ctx} name={`custom${i + 1}Name`} label={ctx.t('products.form.customName', { n: i + 1 })} value={v[`custom${i + 1}Name`]} maxLength={40}
              error={e[`customAttributes.${i}.name`]} />
            <Field ctx={ctx} name={`custom${i + 1}Value`} label={ctx.t('products.form.customValue', { n: i + 1 })} value={v[`custom${i + 1}Value`]} maxLength={200}
              error={e[`customAttributes.${i}.value`]} />
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{ctx.t('products.form.trade')}</legend>
        <div class="field-row">
          <Field ctx={ctx} name="moq" label={ctx.t('products.field.moq')} value={v.moq} error={e.moq} required inputMode="numeric" maxLength={10} />
          <Select ctx={ctx} name="unit" label={ctx.t('products.field.unit')} value={v.unit ?? 'piece'} error={e.unit} empty={ctx.t('products.field.choose')}
            options={units.map((u) => ({ value: u, label: ctx.t(`products.unit.${u}`) }))} />
          <Select ctx={ctx} name="currency" label={ctx.t('products.field.currency')} value={v.currency ?? 'CNY'} error={e.currency} empty={ctx.t('products.field.choose')}
            options={currencies.map((c) => ({ value: c, label: ctx.t(`products.currency.${c}`) }))} />
        </div>
        <fieldset>
          <legend>{ctx.t('products.form.prices')}</legend>
          <p class="hint" id="prices-hint">{ctx.t('products.form.pricesHint')}</p>
          {e.priceTiers ? <p class="error-text" role="alert">{ctx.t(e.priceTiers)}</p> : null}
          {Array.from({ length: maxPriceTiers }, (_, i) => (
            <div class="field-row" key={i}>
              <Field ctx={ctx} name={`tier${i + 1}Qty`} label={ctx.t('products.form.tierQty', { n: i + 1 })} value={v[`tier${i + 1}Qty`]} inputMode="numeric" maxLength={10}
                error={e[`priceTiers.${i}.minQty`]} />
              <Field ctx={ctx} name={`tier${i + 1}Price`} label={ctx.t('products.form.tierPrice', { n: i + 1 })} value={v[`tier${i + 1}Price`]} maxLength={13}
                error={e[`priceTiers.${i}.price`]} />
            </div>
          ))}
          <div class="checkbox">
            <input type="checkbox" id="field-priceNegotiable" name="priceNegotiable" checked={v.priceNegotiable === 'on'} />
            <label for="field-priceNegotiable">{ctx.t('products.field.priceNegotiable')}</label>
          </div>
        </fieldset>
        <Field ctx={ctx} name="leadTimeDays" label={ctx.t('products.field.leadTime')} value={v.leadTimeDays} error={e.leadTimeDays} inputMode="numeric" maxLength={3} />
      </fieldset>
      <fieldset>
        <legend>{ctx.t('products.form.logistics')}</legend>
        <Field ctx={ctx} name="packaging" label={ctx.t('products.field.packaging')} value={v.packaging} error={e.packaging} maxLength={500} />
        <Field ctx={ctx} name="port" label={ctx.t('products.field.port')} value={v.port} error={e.port} maxLength={100} />
        <fieldset>
          <legend>{ctx.t('products.field.incoterms')}</legend>
          {e.incoterms ? <p class="error-text">{ctx.t(e.incoterms)}</p> : null}
          <div class="checkbox-row">
            {incoterms.map((term) => (
              <span class="checkbox" key={term}>
                <input type="checkbox" id={`field-incoterm-${term}`} name="incoterms" value={term} checked={chosenIncoterms.has(term)} />
                <label for={`field-incoterm-${term}`}>{term}</label>
              </span>
            ))}
          </div>
        </fieldset>
        <Field ctx={ctx} name="hsCode" label={ctx.t('products.field.hsCode')} value={v.hsCode} error={e.hsCode} inputMode="numeric" maxLength={13} />
        <Field ctx={ctx} name="certifications" label={ctx.t('products.field.certifications')} value={v.certifications} error={e.certifications} maxLength={500}
          hint={ctx.t('products.field.certificationsHint')} />
      </fieldset>
      <TextArea ctx={ctx} name="description" label={ctx.t('products.form.description')} value={v.description} error={e.description} maxLength={20_000}
        hint={ctx.t('products.form.descriptionHint')} rows={10} />
      <button class="button" type="submit">{ctx.t('products.form.save')}</button>
    </PostForm>
  );
}

/** The images of a product with upload, cover and remove actions. */
export function ImagesSection({ ctx, base, product, maxMb }: { ctx: PageContext; base: string; product: ProductView; maxMb: number }) {
  return (
    <section class="card" aria-labelledby="images-title">
      <h2 id="images-title">{ctx.t('products.images.title')}</h2>
      {product.images.length === 0 ? <p>{ctx.t('products.images.none')}</p> : null}
      <ul class="image-grid">
        {product.images.map((image, i) => (
          <li key={image.id}>
            <img src={publicFileUrl(image.thumbFileId)} alt={ctx.t('products.images.alt', { n: i + 1 })} width={160} loading="lazy" />
            {i === 0 ? (
              <span class="badge badge-verified">{ctx.t('products.images.isCover')}</span>
            ) : (
              <PostForm ctx={ctx} action={`${base}/images/${image.id}/cover`} class="inline-form">
                <button class="link-button" type="submit">{ctx.t('products.images.cover')}</button>
              </PostForm>
            )}
            <PostForm ctx={ctx} action={`${base}/images/${image.id}/remove`} class="inline-form">
              <button class="link-button" type="submit">{ctx.t('products.images.remove')}</button>
            </PostForm>
          </li>
        ))}
      </ul>
      {product.images.length < 10 ? (
        <form method="post" action={`${base}/images`} enctype="multipart/form-data" class="form">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <div class="field">
            <label for="field-images">{ctx.t('products.images.upload')}</label>
            <input id="field-images" type="file" name="images" accept="image/jpeg,image/png,image/webp" multiple required aria-describedby="field-images-hint" />
            <p class="hint" id="field-images-hint">{ctx.t('products.images.hint', { maxMb })}</p>
          </div>
          <button class="button button-secondary" type="submit">{ctx.t('products.images.upload')}</button>
        </form>
      ) : null}
    </section>
  );
}
