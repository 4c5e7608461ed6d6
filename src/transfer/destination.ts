/**
 * Where an import or a copy goes: a connection and database (the collection picker's steps), then a new collection
 * (named, with the source's name offered) or an existing one, in one wizard with Back. A database node skips to the
 * collection step; options from code skip the wizard.
 */
import * as vscode from 'vscode';
import { ChromaNotFoundError, collectionNameMessage } from '../chroma';
import type { ChromaClient } from '../chroma/client';
import type { Collection, Scope } from '../chroma/types';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import { connectionOf } from '../explorer/core/model';
import type { DatabaseNode } from '../explorer/core/model';
import { SKIP, inputStep, pickStep, runSteps } from '../platform/quickInput';
import type { StepResult } from '../platform/quickInput';
import type { TransferDeps } from './index';
import { displayLine, escapeIcons } from '../util/text';
import type { DestinationArg } from './args';
import type { ImportTarget } from './core/importer';

export interface Destination {
  connection: ConnectionConfig;
  client: ChromaClient;
  scope: Scope;
  /** The collection of that name, when there is one. */
  existing?: Collection;
  name: string;
}

/** The collection of that name in that database, or undefined when there is none. */
async function find(client: ChromaClient, name: string, scope: Scope): Promise<Collection | undefined> {
  try {
    return await client.getCollection(name, { scope });
  } catch (e) {
    if (e instanceof ChromaNotFoundError) {
      return undefined;
    }
    throw e;
  }
}

/** A destination given by name from code. */
async function fromArg(s: TransferDeps, to: DestinationArg): Promise<Destination> {
  const connection = s.store.get(to.connection);
  if (!connection) {
    throw new Error(`There is no connection named "${to.connection}".`);
  }
  const client = await s.clients.clientFor(connection);
  const base = await client.scope();
  const scope = { tenant: to.tenant ?? base.tenant, database: to.database ?? base.database };
  return { connection, client, scope, existing: await find(client, to.name, scope), name: to.name };
}

interface Answers {
  existing?: Collection;
  name?: string;
}

/** The steps after the database: new (then its name) or an existing collection. */
function collectionSteps(s: TransferDeps, title: string, where: () => { connection: ConnectionConfig; scope: Scope; back: boolean }, suggested: (w: { connection: ConnectionConfig; scope: Scope }) => string, answers: Answers) {
  const NEW = { label: '$(add) New collection…', detail: 'Made with the configuration and metadata of the source', collection: undefined as Collection | undefined };
  return [
    async (): Promise<StepResult<unknown>> => {
      const w = where();
      const client = await s.clients.clientFor(w.connection);
      const collections: Collection[] = [];
      for await (const c of client.iterateCollections({ scope: w.scope })) {
        collections.push(c);
      }
      collections.sort((a, b) => a.name.localeCompare(b.name));
      const items = [NEW, ...collections.map((c) => ({ label: escapeIcons(c.name), description: c.dimension ? `${c.dimension}-d` : undefined, collection: c as Collection | undefined }))];
      const pick = await pickStep(
        { title, back: w.back },
        { items, placeholder: `Into which collection of ${w.connection.name} (${displayLine(w.scope.database, 80)})?`, active: NEW },
      );
      if (pick && typeof pick === 'object') {
        answers.existing = pick.collection;
        answers.name = pick.collection?.name;
      }
      return pick;
    },
    async (): Promise<StepResult<unknown>> => {
      if (answers.existing) {
        return SKIP;
      }
      const w = where();
      const name = await inputStep(
        { title, back: true },
        { prompt: `The new collection's name in ${displayLine(w.scope.database, 80)}`, value: suggested(w), validate: collectionNameMessage },
      );
      if (typeof name === 'string') {
        answers.name = name;
      }
      return name;
    },
  ];
}

/**
 * Asks where to: `suggested` names the new collection (e.g. the source's name, or "<name>-copy" beside it).
 * Undefined when the user cancels.
 */
export async function chooseDestination(
  s: TransferDeps,
  title: string,
  opts: { to?: DestinationArg; database?: DatabaseNode; suggested: (w: { connection: ConnectionConfig; scope: Scope }) => string },
): Promise<Destination | undefined> {
  if (opts.to) {
    return fromArg(s, opts.to);
  }
  const answers: Answers = {};
  let at: { connection: ConnectionConfig; scope: Scope } | undefined;
  if (opts.database) {
    const node = opts.database;
    at = { connection: connectionOf(node), scope: { tenant: node.tenant, database: node.database } };
    const fixed = { ...at, back: false };
    if (!(await runSteps(collectionSteps(s, title, () => fixed, opts.suggested, answers)))) {
      return undefined;
    }
  } else {
    const picked = await s.picker.pickDatabase(title, (where) => collectionSteps(s, title, where, opts.suggested, answers));
    if (!picked) {
      return undefined;
    }
    at = picked;
  }
  if (!answers.name) {
    return undefined;
  }
  const client = await s.clients.clientFor(at.connection);
  // A new name may have been taken meanwhile: look again, so an existing collection is never treated as new.
  const existing = answers.existing ?? (await find(client, answers.name, at.scope));
  return { connection: at.connection, client, scope: at.scope, existing, name: answers.name };
}

/**
 * Into a collection that has records: overwrite the ids it has, or skip them (resume). Asked in a modal that names
 * what is lost; undefined when the user cancels. `what` is e.g. "20,000 records from docs.jsonl".
 */
export async function askExisting(collection: Collection, count: number, what: string, verb: 'Import' | 'Copy', given?: 'overwrite' | 'skip'): Promise<'overwrite' | 'skip' | undefined> {
  if (given) {
    return given;
  }
  if (count === 0) {
    return 'overwrite';
  }
  const answer = await vscode.window.showWarningMessage(
    `${verb} ${what} into "${collection.name}", which holds ${count.toLocaleString('en-US')} records?`,
    {
      modal: true,
      detail:
        'Overwrite: records with the same ids are replaced (their documents, metadata and embeddings are lost). ' +
        `Skip Existing: ids "${collection.name}" already has are left as they are and only new ones are added (use it to resume an interrupted ${verb.toLowerCase()}).`,
    },
    'Overwrite',
    'Skip Existing',
  );
  return answer === 'Overwrite' ? 'overwrite' : answer === 'Skip Existing' ? 'skip' : undefined;
}

/**
 * The importer's target for a destination: a new collection, or the existing one read afresh (a tree node's
 * collection may be older than its first write, its dimension still null). For an existing one, `prepare` runs first
 * (a dimension check, a re-embedding question; false cancels), then askExisting with the collection's count.
 * Undefined when the user cancels.
 */
export async function targetFor(
  dest: Destination,
  ask: { what: string; verb: 'Import' | 'Copy'; given?: 'overwrite' | 'skip' },
  prepare?: (existing: Collection) => Promise<boolean>,
): Promise<{ into: ImportTarget; skipExisting: boolean } | undefined> {
  if (!dest.existing) {
    return { into: { kind: 'new', name: dest.name, scope: dest.scope }, skipExisting: false };
  }
  const existing = await dest.client.getCollection(dest.existing.name, { scope: dest.scope });
  if (prepare && !(await prepare(existing))) {
    return undefined;
  }
  const answer = await askExisting(existing, await dest.client.count(existing), ask.what, ask.verb, ask.given);
  return answer ? { into: { kind: 'existing', collection: existing }, skipExisting: answer === 'skip' } : undefined;
}
