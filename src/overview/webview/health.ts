/** The Health section: one item per finding, with its count and example ids (each a button that opens the record). */
import type { FindingView } from '../core/protocol';
import { button, byId, el } from './dom';
import { formatCount } from './format';

/** What an example's button asks for: example `example` of finding `finding` (indices into what was sent). */
export type OnExample = (finding: number, example: number) => void;

/** `findings` null: not checked yet. `recordsRead`: how many records the check covered. */
export function renderHealth(findings: readonly FindingView[] | null, recordsRead: number, onExample: OnExample): void {
  const list = byId('findingList');
  list.replaceChildren();
  if (!findings) {
    list.append(el('li', 'muted', 'Checking…'));
    return;
  }
  if (findings.length === 0) {
    const li = el('li', 'finding ok');
    li.append(el('strong', '', 'No problems found'), el('div', 'muted', `in the ${formatCount(recordsRead)} records read.`));
    list.append(li);
  }
  findings.forEach((f, fi) => list.append(findingItem(f, (ei) => onExample(fi, ei))));
}

function findingItem(f: FindingView, onExample: (example: number) => void): HTMLElement {
  const li = el('li', 'finding');
  const head = el('div', 'head');
  head.append(el('strong', '', f.title), el('span', 'badge', formatCount(f.count)));
  li.append(head);
  if (f.detail) {
    li.append(el('div', 'muted', f.detail));
  }
  if (f.examples.length > 0) {
    const ex = el('div', 'examples');
    ex.append(el('span', 'muted', f.examples.length < f.count ? 'e.g.' : 'ids:'));
    f.examples.forEach((id, ei) => ex.append(button('link', id, 'Open this record', `Open record ${id}`, () => onExample(ei))));
    li.append(ex);
  }
  return li;
}
