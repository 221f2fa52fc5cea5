/**
 * The cookie banner's island: submits the banner's plain forms in place (fetch with the
 * `x-csrf-token` header), hides the banner and announces the new choice to the page's gated
 * islands. Without this script the forms post and redirect back, which works just as well.
 */
import { announceConsent } from './consent-gate.js';

/**
 * Reads back the purposes now in force (GPC applied by the server) and tells the page's other
 * islands through the consent gate, so gated scripts start or stop without a reload.
 */
async function announceChoice(): Promise<void> {
  const response = await fetch('/api/consent', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) return;
  const state = (await response.json()) as { purposes: Record<string, boolean> };
  announceConsent(Object.keys(state.purposes).filter((purpose) => state.purposes[purpose] === true));
}

const banner = document.getElementById('consent-banner');

if (banner) {
  for (const form of banner.querySelectorAll<HTMLFormElement>('form.consent-form')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const field = data.get('_csrf');
      const token = typeof field === 'string' ? field : '';
      data.delete('_csrf');
      const body = new URLSearchParams();
      for (const [key, value] of data) if (typeof value === 'string') body.append(key, value);
      fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token, accept: 'application/json' },
        body,
      })
        .then(async (response) => {
          if (!response.ok) throw new Error(`consent not saved: ${response.status}`);
          await response.json();
          banner.hidden = true;
          document.getElementById('main')?.focus();
          // Apart from the save: a failure here must not post the form again.
          announceChoice().catch(() => undefined);
        })
        // Fall back to the plain form post, which also shows any error as a page.
        .catch(() => form.submit());
    });
  }
}
