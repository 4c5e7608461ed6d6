/** The Results view's query that Add to Evaluation Set… works on: the hit's, else the first one shown with hits. */
import type { ResultsEntry } from '../query/core/resultsModel';
import type { ShownQuery } from './deps';

/** `arg` is a hit node of the Results view when the command runs from its menu: `{ kind: 'hit', entry, model }`. */
export function shownQueryOf(arg: unknown, shown: readonly ResultsEntry[]): ShownQuery | undefined {
  const node = arg as { kind?: unknown; entry?: ResultsEntry; model?: { hit?: { id?: unknown } } } | null | undefined;
  const fromHit = node && typeof node === 'object' && node.kind === 'hit' && node.entry?.run ? node.entry : undefined;
  const entry = fromHit ?? shown.find((e) => e.run && e.run.hits.length > 0);
  if (!entry?.run) {
    return undefined;
  }
  const picked = fromHit && typeof node?.model?.hit?.id === 'string' ? node.model.hit.id : undefined;
  return { spec: entry.spec, hits: entry.run.hits.map((h) => ({ id: h.id, text: h.document ?? undefined })), picked };
}
