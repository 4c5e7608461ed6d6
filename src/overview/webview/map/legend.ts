/** The text around the map: its legend, the line about the last query's highlights, and the PCA / UMAP buttons. */
import type { LegendEntry, Method, Scale } from '../../core/protocol';
import { legendColor } from '../colors';
import { byId, el } from '../dom';
import { formatCount } from '../format';
import type { FromHost } from '../host';
import type { Theme } from '../theme';

/** How the points are coloured (what the last `colors` message said). */
export interface Coloring {
  /** The key the map is coloured by; null: not coloured. */
  key: string | null;
  scale: Scale;
  legend: LegendEntry[];
  /** Points without a value for the key. */
  missing: number;
  /** One colour code per point (an index into `legend`, 255: no value). */
  codes: Uint8Array | null;
}

export const NO_COLORING: Coloring = { key: null, scale: 'category', legend: [], missing: 0, codes: null };

export function renderLegend(c: Coloring, theme: Theme): void {
  const ul = byId('legend');
  ul.replaceChildren();
  if (c.key === null) {
    return;
  }
  const item = (color: string, label: string, count: number) => {
    const li = el('li');
    const sw = el('span', 'swatch');
    sw.style.background = color;
    li.append(sw, el('span', '', label), el('span', 'muted', formatCount(count)));
    ul.append(li);
  };
  c.legend.forEach((e, i) => item(legendColor(i, c.legend.length, c.scale), e.label, e.count));
  if (c.missing > 0) {
    item(theme.missingCss(), `no ${c.key}`, c.missing);
  }
}

/** The line about the last query: its label in the hits' colour, and what the map cannot show of it. */
export function renderHighlight(m: FromHost<'highlight'>, theme: Theme): void {
  const p = byId('highlight');
  p.replaceChildren();
  p.hidden = !m.label;
  if (!m.label) {
    return;
  }
  const sw = el('span', 'swatch');
  sw.style.background = theme.hit;
  p.append(sw, m.label);
  if (m.missing > 0) {
    p.append(` (${formatCount(m.missing)} of them are not in the records read)`);
  }
  if (!m.query) {
    p.append('. Re-project to place the query itself.');
  }
}

export function renderMethod(method: Method): void {
  byId('pca').setAttribute('aria-pressed', String(method === 'pca'));
  byId('umap').setAttribute('aria-pressed', String(method === 'umap'));
}
