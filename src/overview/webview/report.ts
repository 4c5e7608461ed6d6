/**
 * What the page tells the extension about itself: a `status` after it changes (records counted, facets, findings
 * and points drawn; tests and the panel read it), and a `probeReport` when asked (whether anything not the page's
 * own ran or was added, and the text it shows).
 */
import { LIMITS } from '../core/protocol';
import type { Host } from './host';

export interface Shown {
  records: number;
  points: number;
}

export class StatusReporter {
  private timer = 0;

  constructor(
    private readonly host: Host,
    private readonly shown: () => Shown,
  ) {}

  /** Reports a moment after the last change (several arrive together). */
  soon(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      const { records, points } = this.shown();
      this.host.post({
        type: 'status',
        records,
        facets: document.querySelectorAll('#facetList .facet').length,
        findings: document.querySelectorAll('#findingList .finding:not(.ok)').length,
        points,
      });
    }, 50);
  }
}

/** Scripts of the page's own: the restore data, the page script, and the script VS Code puts into every webview. */
const OWN_SCRIPT_IDS = new Set(['restore', '_vscodeApiScript']);
const OWN_SCRIPT_SRC = /\/overview\.js$/;

/** Elements and attributes the page itself never makes: any of them came from data shown as HTML. */
function foreignCount(): number {
  let foreign = 0;
  document.querySelectorAll('script').forEach((s) => {
    if (!OWN_SCRIPT_IDS.has(s.id) && !OWN_SCRIPT_SRC.test(s.getAttribute('src') ?? '')) {
      foreign++;
    }
  });
  foreign += document.querySelectorAll('img, iframe, object, embed, svg, link:not([rel="stylesheet"])').length;
  document.querySelectorAll('*').forEach((e) => {
    for (const a of Array.from(e.attributes)) {
      if (/^on/i.test(a.name)) {
        foreign++;
      }
    }
  });
  return foreign;
}

export function probeReport(host: Host): void {
  const pwned = Boolean((window as unknown as { __pwned?: unknown }).__pwned);
  host.post({ type: 'probeReport', pwned, foreign: foreignCount(), text: document.body.innerText.slice(0, LIMITS.probeText) });
}
