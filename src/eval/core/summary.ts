/**
 * A set's numbers as plain text lines, for a test run's output (the VS Code layer joins them with CRLF) and logs:
 * one line per target, and the deltas when the set compares two. No `vscode` here.
 */
import { displayLine } from '../../util/text';
import type { SetRun } from './evaluate';
import type { TargetRun } from './types';

const num = (x: number) => x.toFixed(3);
const signed = (x: number) => (Math.abs(x) < 0.0005 ? '±0.000' : `${x > 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`);

function targetLine(setName: string, r: TargetRun): string {
  const k = r.target.k;
  const c = r.metrics.counts;
  const v = r.metrics.values;
  const name = `${displayLine(setName, 80)} (${displayLine(r.target.name, 40)}: ${displayLine(r.target.collection, 80)})`;
  const counts = `${c.passed} of ${c.cases} passed, ${c.found} of ${c.expected} items found${c.errors ? `, ${c.errors} could not run` : ''}`;
  if (!v) {
    return `${name}: no case ran; ${counts}`;
  }
  return `${name}: recall@${k} ${num(v.recall)} · precision@${k} ${num(v.precision)} · MRR ${num(v.mrr)} · nDCG@${k} ${num(v.ndcg)} · hit rate ${num(v.hitRate)}; ${counts}`;
}

/** The lines: each target's metrics and counts, then (compare) the deltas and the wins. */
export function summaryLines(run: SetRun, setName: string): string[] {
  const lines = run.runs.map((r) => targetLine(setName, r));
  const c = run.comparison;
  if (c) {
    const d = c.deltas;
    const a = displayLine(c.a, 40);
    const b = displayLine(c.b, 40);
    lines.push(
      `${b} − ${a}: ${d ? `recall ${signed(d.recall)} · precision ${signed(d.precision)} · MRR ${signed(d.mrr)} · nDCG ${signed(d.ndcg)} · hit rate ${signed(d.hitRate)}` : 'no deltas (a target ran no case)'}; ` +
        `${a} wins ${c.wins.a}, ${b} wins ${c.wins.b}, ${c.wins.ties} ties${c.wins.unjudged ? `, ${c.wins.unjudged} not judged` : ''}`,
    );
  }
  return lines;
}
