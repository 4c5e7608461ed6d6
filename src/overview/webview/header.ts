/** The page's header and Facts section: the collection's name, what was read, progress, errors, and the facts. */
import { byId, el, setDisabled } from './dom';
import { formatCount, plural } from './format';
import type { FromHost } from './host';

export type Scanned = FromHost<'scanned'>;

/** The title, the export button's tooltip and the Facts list. */
export function renderInit(m: FromHost<'init'>): void {
  byId('title').textContent = m.title;
  document.title = `Overview: ${m.title}`;
  byId('exportSelection').title = m.canExport ? 'Export the selected records' : 'Export is not available: the ids are copied instead';
  const list = byId('factList');
  list.replaceChildren();
  for (const f of m.facts) {
    list.append(el('dt', '', f.label));
    const dd = el('dd');
    dd.append(f.block ? el('pre', '', f.value) : document.createTextNode(f.value));
    list.append(dd);
  }
}

/** The line that says what was read (all records, or a sample of how many), and the Scan all button. */
export function renderScanned(s: Scanned | null, sampleSize: number): void {
  const p = byId('sample');
  p.replaceChildren();
  const scanAll = byId('scanAll');
  if (!s) {
    p.textContent = sampleSize > 0 ? `Reading the collection (up to ${formatCount(sampleSize)} records)…` : 'Reading the collection…';
    scanAll.hidden = true;
    return;
  }
  const strong = (n: number) => el('strong', '', formatCount(n));
  if (s.sampled) {
    p.append('Sample of ', strong(s.read), ' of ', strong(s.total), ' records, spread evenly over the collection. Facets, health and map describe this sample.');
    scanAll.hidden = false;
    scanAll.textContent = `Scan all ${formatCount(s.total)}`;
  } else {
    p.append('All ', strong(s.read), ` ${plural(s.read, 'record')} read.`);
    scanAll.hidden = true;
  }
  if (s.read !== s.total && !s.sampled) {
    p.append(` (The collection counts ${formatCount(s.total)}.)`);
  }
}

/** The progress bar and its text; the buttons that start work are disabled while work runs. */
export function renderProgress(m: FromHost<'progress'>): void {
  const busy = m.phase !== 'done';
  const box = byId('progress');
  box.hidden = !busy && !m.text;
  const bar = box.querySelector<HTMLElement>('.bar');
  if (bar) {
    bar.hidden = !busy;
  }
  byId('progressFill').style.width = `${Math.round(m.fraction * 100)}%`;
  byId('progressText').textContent = m.text;
  byId('cancel').hidden = !(busy && m.cancellable);
  setDisabled(['scanAll', 'rescan', 'pca', 'umap'], busy);
  if (busy) {
    byId('error').hidden = true;
  }
}

export function renderError(text: string): void {
  const e = byId('error');
  e.textContent = text;
  e.hidden = !text;
}
