/**
 * The live password strength meter: scores what is typed with zxcvbn-ts, counting the person's
 * own login name, email and name as guessable, as the server does. Labels come from the page.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

function hints(form: HTMLFormElement): string[] {
  return ['loginName', 'email', 'contactPerson', 'mobile']
    .map((name) => form.elements.namedItem(name))
    .filter((el): el is HTMLInputElement => el instanceof HTMLInputElement)
    .map((el) => el.value.trim().toLowerCase())
    .filter(Boolean);
}

for (const meterBox of document.querySelectorAll<HTMLElement>('[data-strength-for]')) {
  const input = document.getElementById(meterBox.dataset.strengthFor ?? '');
  const meter = meterBox.querySelector('meter');
  const text = meterBox.querySelector('.strength-text');
  const labels = JSON.parse(meterBox.dataset.labels ?? '[]') as string[];
  if (!(input instanceof HTMLInputElement) || !meter || !text || !input.form) continue;
  const form = input.form;
  const empty = text.textContent ?? '';
  const update = () => {
    if (!input.value) {
      meter.value = 0;
      text.textContent = empty;
      return;
    }
    const own = hints(form);
    const lower = input.value.toLowerCase();
    const personal = own.some((h) => h.length >= 4 && lower.includes(h));
    const score = input.value.length < 8 || personal ? 0 : zxcvbn.check(input.value.slice(0, 128), own).score;
    meter.value = score;
    text.textContent = labels[score] ?? '';
  };
  input.addEventListener('input', update);
  update();
}
