/** What every tool implementation shares: its run context, and the collection and id look-ups. No `vscode` here. */
import { ChromaNotFoundError } from '../../../chroma/errors';
import type { Collection } from '../../../chroma/types';
import { displayLine, formatCount } from '../../../util/text';
import type { Confirmation } from '../confirm';
import { AgentError } from '../context';
import type { ConnectionHandle, ToolContext } from '../context';
import type { CollectionCache } from '../shared';

export interface ToolRun {
  ctx: ToolContext;
  at: ConnectionHandle;
  signal: AbortSignal;
  /** Characters the answer may have. */
  budget: number;
  /** Collections looked up shortly before, for bursts of queries (the query workbench's cache). */
  collections?: CollectionCache;
}

/** A tool: `prepare` (writes only) gathers what the confirmation says; `run` does it and answers in text. */
export interface ToolImpl<I> {
  prepare?(input: I, r: ToolRun): Promise<Confirmation>;
  run(input: I, r: ToolRun): Promise<string>;
}

/** `"notes" on "local"`, with the database when it is not the default one: how answers name a collection. */
export function named(collection: string, at: ConnectionHandle): string {
  const db = at.database === 'default_database' ? '' : ` (database ${JSON.stringify(at.database)})`;
  return `${JSON.stringify(displayLine(collection, 200))} on ${JSON.stringify(displayLine(at.connection, 100))}${db}`;
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : words}`;
}

/**
 * Throws a not-found AgentError when the database does not exist (servers list no collections there rather than
 * say so); a server that cannot tell (no such endpoint, no permission) lets the caller go on.
 */
export async function checkDatabase(r: ToolRun): Promise<void> {
  try {
    await r.at.client.getDatabase(r.at.database, { tenant: r.at.tenant, signal: r.signal });
  } catch (e) {
    if (e instanceof ChromaNotFoundError) {
      throw new AgentError('not-found', `There is no database ${JSON.stringify(displayLine(r.at.database, 100))} on ${JSON.stringify(displayLine(r.at.connection, 100))}: leave "database" out to use the connection's own.`);
    }
  }
}

/** The collection by name, or a not-found AgentError that says how to find the names (or that the database is wrong). */
export async function collectionNamed(r: ToolRun, name: string): Promise<Collection> {
  try {
    return await r.at.client.getCollection(name, { scope: { tenant: r.at.tenant, database: r.at.database }, signal: r.signal });
  } catch (e) {
    if (e instanceof ChromaNotFoundError) {
      await checkDatabase(r);
      throw new AgentError('not-found', `There is no collection ${named(name, r.at)}: list the collections with chroma_list_collections.`);
    }
    throw e;
  }
}

/** Which of `ids` the collection has, in the order given. */
export async function existingIds(r: ToolRun, collection: Collection, ids: readonly string[]): Promise<Set<string>> {
  const got = await r.at.client.get(collection, { ids: [...ids], include: [] }, { signal: r.signal });
  return new Set(got.ids);
}

/** `"a", "b" and 3 more`: ids for a sentence, each cut short. */
export function idList(ids: readonly string[], max = 5): string {
  const shown = ids.slice(0, max).map((id) => JSON.stringify(displayLine(id, 60)));
  return ids.length > max ? `${shown.join(', ')} and ${formatCount(ids.length - max)} more` : shown.join(', ');
}
