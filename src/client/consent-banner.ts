/**
 * The cookie banner's island: submits the banner's plain forms in place (fetch with the
 * `x-csrf-token` header) and hides the banner. Without this script the forms post and redirect
 * back, which works just as well.
 */
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
        })
        // Fall back to the plain form post, which also shows any error as a page.
        .catch(() => form.submit());
    });
  }
}
