/**
 * The share page's island: shows the copy button and copies the link with the Clipboard API,
 * saying so in a live region. Without this script the link stays in its read-only field, ready
 * to select and copy by hand; the field selects itself on focus either way here.
 */
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy-target]')) {
  const input = document.getElementById(button.dataset.copyTarget ?? '');
  const status = document.getElementById(button.dataset.copyStatus ?? '');
  if (!(input instanceof HTMLInputElement)) continue;
  input.addEventListener('focus', () => input.select());
  // The Clipboard API exists only in secure contexts; elsewhere the field is the way.
  if (!navigator.clipboard) continue;
  const say = (text: string | undefined) => {
    if (status) status.textContent = text ?? '';
  };
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(input.value).then(
      () => say(button.dataset.copied),
      () => {
        input.focus();
        say(button.dataset.failed);
      },
    );
  });
}
