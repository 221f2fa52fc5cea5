/**
 * Dependent province → city → district selects. Without script the form still works: the server
 * re-renders the lists for the chosen province and city.
 */
interface RegionOption {
  code: string;
  name: string;
}

async function fill(select: HTMLSelectElement, parent: string): Promise<void> {
  const placeholder = select.options[0]?.cloneNode(true) as HTMLOptionElement | undefined;
  select.replaceChildren(...(placeholder ? [placeholder] : []));
  if (!parent) return;
  const response = await fetch(`/api/regions?parent=${encodeURIComponent(parent)}&lang=${document.documentElement.lang}`);
  if (!response.ok) return;
  const { regions } = (await response.json()) as { regions: RegionOption[] };
  for (const region of regions) select.append(new Option(region.name, region.code));
}

for (const box of document.querySelectorAll<HTMLElement>('[data-region-select]')) {
  const province = box.querySelector<HTMLSelectElement>('select[name="provinceCode"]');
  const city = box.querySelector<HTMLSelectElement>('select[name="cityCode"]');
  const district = box.querySelector<HTMLSelectElement>('select[name="districtCode"]');
  if (!province || !city || !district) continue;
  province.addEventListener('change', () => {
    void fill(city, province.value).then(() => fill(district, ''));
  });
  city.addEventListener('change', () => {
    void fill(district, city.value);
  });
}
