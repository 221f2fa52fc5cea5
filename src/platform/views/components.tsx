import type { ComponentChildren } from 'preact';
import type { FormState } from '../http/forms.js';
import type { PageContext } from './context.js';

export interface FieldProps {
  ctx: PageContext;
  name: string;
  label: string;
  type?: string;
  value?: string;
  /** A message key from the service's field errors. */
  error?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: 'text' | 'email' | 'tel' | 'numeric';
}

/** A labelled input with its hint and its error, wired for screen readers. */
export function Field(props: FieldProps) {
  const { ctx, name, error } = props;
  const id = `field-${name}`;
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>
        {props.label}
        {props.required ? (
          <span class="required" aria-hidden="true">
            {' *'}
          </span>
        ) : null}
      </label>
      <input
        id={id}
        name={name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-text" id={`${id}-error`}>
          {ctx.t(error)}
        </p>
      ) : null}
    </div>
  );
}

/** A POST form with its CSRF token; every state-changing form is one of these. */
export function PostForm(props: {
  ctx: PageContext;
  action: string;
  children: ComponentChildren;
  class?: string;
  id?: string;
}) {
  return (
    <form method="post" action={props.action} class={props.class ?? 'form'} id={props.id} noValidate>
      <input type="hidden" name="_csrf" value={props.ctx.csrfToken} />
      {props.children}
    </form>
  );
}

/** A message at the top of a form or page; errors are announced by screen readers. */
export function Notice(props: { kind: 'error' | 'success' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/** A labelled select with an empty first choice and its error, wired for screen readers. */
export function Select(props: {
  ctx: PageContext;
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  error?: string;
  empty: string;
  attrs?: Record<string, string>;
}) {
  const id = `field-${props.name}`;
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined} {...props.attrs}>
        <option value="">{props.empty}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error ? <p class="error-text" id={`${id}-error`}>{props.ctx.t(props.error)}</p> : null}
    </div>
  );
}

/** A labelled multi-line text field with its hint and its error. */
export function TextArea(props: { ctx: PageContext; name: string; label: string; value?: string; error?: string; hint?: string; maxLength: number; rows?: number }) {
  const id = `field-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <textarea id={id} name={props.name} rows={props.rows ?? 6} maxLength={props.maxLength} aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}>{props.value ?? ''}</textarea>
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
      {props.error ? <p class="error-text" id={`${id}-error`}>{props.ctx.t(props.error)}</p> : null}
    </div>
  );
}

/** The message a form answered with (an error, or a success after a redirect), or nothing. */
export function FormMessage({ ctx, state }: { ctx: PageContext; state: FormState }) {
  if (!state.message) return null;
  return <Notice kind={state.messageKind ?? 'error'}>{ctx.t(state.message, state.messageParams)}</Notice>;
}

/**
 * Previous and next links around "page N of M"; nothing when everything fits on one page.
 * @example <Pager ctx={ctx} page={2} pages={5} href={(n) => `/notices?page=${n}`} />
 */
export function Pager({ ctx, page, pages, href }: { ctx: PageContext; page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={ctx.t('pager.label')}>
      {page > 1 ? <a href={href(page - 1)} rel="prev">{ctx.t('pager.previous')}</a> : null}
      <span>{ctx.t('pager.page', { page, pages })}</span>
      {page < pages ? <a href={href(page + 1)} rel="next">{ctx.t('pager.next')}</a> : null}
    </nav>
  );
}
