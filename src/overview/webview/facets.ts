/**
 * The Metadata facets section: a card per key with how many records have it, its types, its top values (each a
 * button that filters the tree by it) and, for numbers, a histogram. And the map's "Colour by" choices, one per key.
 */
import type { FacetView } from '../core/protocol';
import { button, byId, el } from './dom';
import { axisNumber, formatCount, percent, plural } from './format';

/** What a value's button asks for: the records with value `value` of facet `facet` (indices into what was sent). */
export type OnFilter = (facet: number, value: number) => void;

export function renderFacets(facets: readonly FacetView[], records: number | null, onFilter: OnFilter): void {
  const list = byId('facetList');
  list.replaceChildren();
  if (facets.length === 0) {
    list.append(el('p', 'muted', records !== null ? 'No record has metadata.' : 'Counting…'));
  }
  facets.forEach((f, fi) => list.append(facetCard(f, records ?? 0, (vi) => onFilter(fi, vi))));
}

function facetCard(f: FacetView, records: number, onValue: (value: number) => void): HTMLElement {
  const card = el('article', 'facet');
  card.append(el('h3', '', f.key));
  const types = Object.entries(f.types).filter(([, c]) => c > 0);
  const meta = el('p', 'meta', `${formatCount(f.present)} of ${formatCount(records)} records (${percent(f.present, records)}) · `);
  meta.append(
    types.length > 1
      ? el('span', 'warn', `mixed: ${types.map(([t, c]) => `${t} ${formatCount(c)}`).join(', ')}`)
      : document.createTextNode(types.map(([t]) => t).join('') || '—'),
  );
  meta.append(` · ${f.capped ? 'over ' : ''}${formatCount(f.distinct)} distinct ${plural(f.distinct, 'value')}`);
  card.append(meta);
  const values = el('ul', 'values');
  f.top.forEach((t, vi) => {
    const li = el('li');
    const b = button('link', t.label, `Filter records where ${f.key} is ${t.label}`, `Filter records where ${f.key} is ${t.label} (${formatCount(t.count)} records)`, () => onValue(vi));
    const meter = el('div', 'meter');
    const fill = el('div');
    fill.style.width = `${f.present > 0 ? (t.count / f.present) * 100 : 0}%`;
    meter.append(fill);
    li.append(b, el('span', 'count', formatCount(t.count)), meter);
    values.append(li);
  });
  card.append(values);
  if (f.histogram && f.histogram.bins.length > 0) {
    card.append(...histogram(f.key, f.histogram));
  }
  return card;
}

/** Bars scaled to the fullest bin, each with its range and count as a tooltip, and the axis's ends below. */
function histogram(key: string, h: NonNullable<FacetView['histogram']>): HTMLElement[] {
  const peak = Math.max(1, ...h.bins);
  const bars = el('div', 'histogram');
  bars.setAttribute('role', 'img');
  bars.setAttribute('aria-label', `Histogram of ${key} from ${h.min} to ${h.max}`);
  const width = (h.max - h.min) / h.bins.length;
  h.bins.forEach((c, i) => {
    const bar = el('div');
    bar.style.height = `${(c / peak) * 100}%`;
    bar.title = `${axisNumber(h.min + i * width)} – ${axisNumber(h.min + (i + 1) * width)}: ${formatCount(c)}`;
    bars.append(bar);
  });
  const axis = el('div', 'histAxis');
  axis.append(el('span', '', axisNumber(h.min)), el('span', '', axisNumber(h.max)));
  return [bars, axis];
}

/** The map's "Colour by" choices: nothing, or one of the keys; `colorKey` is the one chosen. */
export function renderColorOptions(select: HTMLSelectElement, facets: readonly FacetView[], colorKey: string | null): void {
  select.replaceChildren();
  const none = el('option', '', 'nothing');
  none.value = '-1';
  select.append(none);
  facets.forEach((f, i) => {
    const o = el('option', '', f.key);
    o.value = String(i);
    select.append(o);
  });
  const at = colorKey === null ? -1 : facets.findIndex((f) => f.key === colorKey);
  select.value = String(at);
}
