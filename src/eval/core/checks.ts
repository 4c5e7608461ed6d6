/**
 * Checks of a set against what the user has, for the editor's diagnostics: connection names (known from the
 * settings), collection names (when a list was fetched), and the record ids the cases name, asked of the collection.
 * Each problem has the span of the name or id. No `vscode` here.
 */
import type { ChromaClient, CollectionRef } from '../../chroma/client';
import { quote } from '../../chroma/sanitize';
import type { Problem } from './readFields';
import type { EvalSet, EvalTarget, Span } from './types';

export interface NameContext {
  /** The connections' names. */
  connections: readonly string[];
  /** The collection names of a target's database, when a list was fetched; undefined when not known. */
  collectionsIn?: (target: EvalTarget) => readonly string[] | undefined;
}

/** Ids per get when checking: small enough for any server's read limit to split cheaply. */
const IDS_PER_GET = 1000;

const problem = (span: Span, message: string, severity: Problem['severity']): Problem => ({ span, message, kind: 'set', severity });

/** Unknown connections (errors: nothing can run) and collections not in a fetched list (warnings: maybe not made yet). */
export function checkNames(set: EvalSet, ctx: NameContext): Problem[] {
  const out: Problem[] = [];
  for (const t of set.compare ? [set.target, set.compare] : [set.target]) {
    const at = t.spans.connection;
    if (at && !ctx.connections.includes(t.connection)) {
      const names = ctx.connections.map((c) => quote(c));
      const use = names.length === 0 ? 'add one with "Chroma: Add Connection…"' : `use ${names.length === 1 ? names[0] : `one of ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`}, or add it with "Chroma: Add Connection…"`;
      out.push(problem(at, `There is no connection named ${quote(t.connection)}: ${use}.`, 'error'));
      continue;
    }
    const names = ctx.collectionsIn?.(t);
    if (names && t.spans.collection && !names.includes(t.collection)) {
      const scope = [t.tenant, t.database].filter(Boolean).join('/') || 'its database';
      out.push(problem(t.spans.collection, `${quote(t.connection)} has no collection ${quote(t.collection)} in ${scope} (yet): check the name, or "database".`, 'warning'));
    }
  }
  // the same span can be named by both targets (compare inherits it): once
  return out.filter((p, i) => out.findIndex((q) => q.span.start === p.span.start && q.message === p.message) === i);
}

/**
 * The expected ids and query records of the set's cases that `collection` does not have, each a warning where the
 * file names it. Reads ids only, in gets of up to 1,000.
 */
export async function checkIds(client: ChromaClient, collection: CollectionRef & { name: string }, set: EvalSet, signal?: AbortSignal): Promise<Problem[]> {
  const places = new Map<string, Array<{ span: Span; record: boolean }>>();
  for (const c of set.cases) {
    c.expect.ids.forEach((id, i) => places.set(id, [...(places.get(id) ?? []), { span: c.idSpans[i], record: false }]));
    if (c.query.kind === 'record' && c.recordSpan) {
      places.set(c.query.recordId, [...(places.get(c.query.recordId) ?? []), { span: c.recordSpan, record: true }]);
    }
  }
  const ids = [...places.keys()];
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += IDS_PER_GET) {
    const got = await client.get(collection, { ids: ids.slice(i, i + IDS_PER_GET), include: [] }, { signal });
    got.ids.forEach((id) => found.add(id));
  }
  const name = quote(collection.name);
  return ids
    .filter((id) => !found.has(id))
    .flatMap((id) =>
      (places.get(id) ?? []).map((p) =>
        problem(p.span, p.record ? `${name} has no record ${quote(id)} to query with: this case cannot run.` : `${name} has no record ${quote(id)}: this case can never find it.`, 'warning'),
      ),
    );
}
