/**
 * Reading a record for its editor, and saving an edit back: checked first (nothing is sent when the file is
 * refused), then compared with what the server has now (a change since the editor read it is never overwritten
 * without the caller's yes), then one `update`, re-embedding the document only when its text changed. Adding a new
 * record refuses an id that exists. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { ChromaInvalidArgumentError, ChromaNotFoundError } from '../../chroma/errors';
import type { RecordLimits } from '../../chroma/limits';
import type { Collection, GetResult, Metadata, UpdateMetadata, UpdateRecordSet } from '../../chroma/types';
import { validateMetadata } from '../../chroma/validate';
import { checkDimension } from '../../embedding/core/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import { displayLine, hasOwnKeys } from '../../util/text';
import { FIELDS, parseRecordFile, recordHash, sameValue } from './recordFile';
import type { Field, ParseOptions, Problem, ReadBase, RecordEdit, RecordState } from './recordFile';

/** The record, or its collection, is not on the server any more. */
export class RecordGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordGoneError';
  }
}

/** The file was refused before anything was sent; `problems` say why, and where when they can. */
export class RecordRefusedError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.length > 1 ? `${problems[0].message} (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : problems[0].message);
    this.name = 'RecordRefusedError';
  }
}

/** The record changed on the server since it was read, and the caller did not overwrite it: nothing was written. */
export class RecordConflictError extends Error {
  constructor(
    message: string,
    readonly current: RecordState,
  ) {
    super(message);
    this.name = 'RecordConflictError';
  }
}

const name = (s: string) => JSON.stringify(displayLine(s, 80));

export interface CollectionAddress {
  tenant: string;
  database: string;
  collectionId: string;
  collectionName: string;
}

/** The collection an address names, checked by id (a collection deleted and made again under its name is another one). */
export async function findCollection(client: ChromaClient, a: CollectionAddress): Promise<Collection> {
  const gone = () =>
    new RecordGoneError(
      `The collection ${name(a.collectionName)} is not in ${displayLine(a.tenant, 80)}/${displayLine(a.database, 80)} any more: it was deleted. Refresh the Chroma view and open the record from there.`,
    );
  const scope = { tenant: a.tenant, database: a.database };
  try {
    const c = await client.getCollection(a.collectionName, { scope });
    if (c.id === a.collectionId) {
      return c;
    }
  } catch (e) {
    if (!(e instanceof ChromaNotFoundError)) {
      throw e;
    }
  }
  // renamed since the address was made: the id is what counts (at most RENAME_SCAN collections are looked through)
  let seen = 0;
  for await (const c of client.iterateCollections({ scope, pageSize: 1_000 })) {
    if (c.id === a.collectionId) {
      return c;
    }
    if (++seen >= RENAME_SCAN) {
      break;
    }
  }
  throw gone();
}

/** How many collections findCollection looks through for one renamed since its address was made. */
const RENAME_SCAN = 100_000;

/** The record as the server has it now (with its embedding), or undefined when there is none of that id. */
export async function readRecord(client: ChromaClient, collection: Collection, id: string): Promise<RecordState | undefined> {
  return recordOf(await client.get(collection, { ids: [id], include: ['documents', 'metadatas', 'embeddings', 'uris'] }), id);
}

/** One record of a get's answer, or undefined when the answer does not have it. */
export function recordOf(got: GetResult, id: string): RecordState | undefined {
  const i = got.ids.indexOf(id);
  if (i < 0) {
    return undefined;
  }
  return {
    id,
    document: got.documents?.[i] ?? null,
    metadata: got.metadatas?.[i] ?? null,
    uri: got.uris?.[i] ?? null,
    embedding: got.embeddings?.[i] ?? null,
  };
}

export function recordGone(collection: Pick<Collection, 'name'>, id: string): RecordGoneError {
  return new RecordGoneError(`The record ${name(id)} is not in the collection ${name(collection.name)} any more: it was deleted on the server.`);
}

/** The metadata checks of the client's own validation (validate.ts), one key at a time, for the file's problems. */
export function metadataChecks(limits: RecordLimits): Pick<ParseOptions, 'checkMetadata' | 'checkKeyCount'> {
  const problem = (f: () => void): string | undefined => {
    try {
      f();
      return undefined;
    } catch (e) {
      if (e instanceof ChromaInvalidArgumentError) {
        return e.message;
      }
      throw e;
    }
  };
  return {
    checkMetadata: (id, key, value) => problem(() => validateMetadata(id, { [key]: value } as Metadata, false, limits)),
    // only the count: each key and value is checked on its own (values the server already holds are not)
    checkKeyCount: (id, m) =>
      Object.keys(m).length > limits.maxMetadataKeys ? problem(() => validateMetadata(id, Object.fromEntries(Object.keys(m).map((k) => [k, 0])), false, limits)) : undefined,
  };
}

/** What an update sends: only what changed. An empty plan sends nothing. */
export interface UpdatePlan {
  /** The new document text: its embedding is made again. */
  document?: string;
  /** Keys to set, and keys to remove (null): Chroma merges an update's metadata into the record's. */
  metadata?: UpdateMetadata;
  uri?: string;
}

/** What to send to make the record on the server what the edit says; refuses what an update cannot do. */
export function planUpdate(current: RecordState, edit: RecordEdit): UpdatePlan {
  const plan: UpdatePlan = {};
  const refuse = (message: string) => new RecordRefusedError([{ message, offset: 0, length: 0 }]);
  // Chroma 1.x keeps a document or uri when an update sends null for it: removing one cannot be done by an update
  const text = (field: 'document' | 'uri', cannotRemove: string): void => {
    const next = edit[field];
    if (next === null && current[field] !== null) {
      throw refuse(cannotRemove);
    }
    if (typeof next === 'string' && next !== current[field]) {
      plan[field] = next;
    }
  };
  text('document', 'Chroma cannot remove a document with an update: use "" for an empty document, or delete the record.');
  text('uri', 'Chroma cannot remove a uri with an update: use "" for none.');
  if (edit.metadata !== undefined) {
    const next = edit.metadata ?? {};
    const now = current.metadata ?? {};
    const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
    const change: [string, Metadata[string] | null][] = [];
    for (const k of Object.keys(now)) {
      if (!has(next, k)) {
        change.push([k, null]);
      }
    }
    for (const k of Object.keys(next)) {
      if (!has(now, k) || !sameValue(now[k], next[k])) {
        change.push([k, next[k]]);
      }
    }
    if (change.length) {
      plan.metadata = Object.fromEntries(change) as UpdateMetadata;
    }
  }
  return plan;
}

export function isEmptyPlan(p: UpdatePlan): boolean {
  return p.document === undefined && p.metadata === undefined && p.uri === undefined;
}

/** Why a save stopped before writing: the server's version now, and whether the editor's base was known. */
export interface Conflict {
  current: RecordState;
  /** `changed`: the record differs from what the editor read; `unknown`: what the editor read is not known (a reload). */
  reason: 'changed' | 'unknown';
}

export interface SaveOptions {
  client: ChromaClient;
  collection: Collection;
  /** The record's id (from its address). */
  id: string;
  /** The saved file. */
  text: string;
  /** What the editor was given when it read the record; undefined when that is not known. */
  base?: ReadBase;
  /** The collection's embedding function, asked for only when a document changed. */
  embedder: () => Promise<EmbeddingFunction>;
  /** The record changed on the server since it was read (or that cannot be told): resolves true to overwrite it. */
  overwrite: (c: Conflict) => Promise<boolean>;
}

export interface SaveResult {
  /** What the editor now shows, for the next save. */
  base: ReadBase;
  /** Whether anything was sent (a save without changes sends nothing). */
  sent: boolean;
  /** Whether the document changed, so its embedding was made again. */
  reembedded: boolean;
}

function parseOrRefuse(text: string, opts: ParseOptions): RecordEdit {
  const parsed = parseRecordFile(text, opts);
  if (parsed.problems.length) {
    throw new RecordRefusedError(parsed.problems);
  }
  return parsed.edit!;
}

/** The fields the saved file left out (kept as they are). */
const hiddenOf = (edit: RecordEdit): Field[] => FIELDS.filter((f) => edit[f] === undefined);

async function embedOne(embedder: () => Promise<EmbeddingFunction>, collection: Collection, text: string): Promise<number[]> {
  const fn = await embedder();
  const [vector] = await fn.embed([text]);
  if (!vector) {
    throw new Error(`The ${fn.name} embedding function returned no vector for the document.`);
  }
  checkDimension([vector], collection.dimension, fn.name);
  return vector;
}

/** The base after a write: the server's record as it is now (read back, so its fingerprint is the server's own). */
async function baseAfterWrite(client: ChromaClient, collection: Collection, id: string, edit: RecordEdit): Promise<ReadBase> {
  const after = await readRecord(client, collection, id);
  return { id, hash: after ? recordHash(after) : undefined, hidden: hiddenOf(edit), metadata: edit.metadata };
}

/** Saves an edited record: see the module's comment. Throws RecordRefusedError, RecordGoneError or RecordConflictError. */
export async function saveRecord(o: SaveOptions): Promise<SaveResult> {
  const edit = parseOrRefuse(o.text, { mode: 'edit', base: o.base, id: o.id, ...metadataChecks(o.client.limits) });
  const current = await readRecord(o.client, o.collection, o.id);
  if (!current) {
    throw recordGone(o.collection, o.id);
  }
  const reason = o.base?.hash === undefined ? 'unknown' : o.base.hash !== recordHash(current) ? 'changed' : undefined;
  if (reason && !(await o.overwrite({ current, reason }))) {
    throw new RecordConflictError(
      reason === 'changed'
        ? `The record ${name(o.id)} changed on the server since you opened it, and nothing was written.`
        : `It cannot be told whether the record ${name(o.id)} changed on the server since this editor read it, and nothing was written.`,
      current,
    );
  }
  // against what the server has now: the same as what the editor read, unless the caller chose to overwrite
  const plan = planUpdate(current, edit);
  if (isEmptyPlan(plan)) {
    return { base: { id: o.id, hash: recordHash(current), hidden: hiddenOf(edit), metadata: edit.metadata }, sent: false, reembedded: false };
  }
  const records: UpdateRecordSet = { ids: [o.id] };
  if (plan.document !== undefined) {
    records.documents = [plan.document];
    records.embeddings = [await embedOne(o.embedder, o.collection, plan.document)];
  }
  if (plan.metadata) {
    records.metadatas = [plan.metadata];
  }
  if (plan.uri !== undefined) {
    records.uris = [plan.uri];
  }
  await o.client.update(o.collection, records);
  return { base: await baseAfterWrite(o.client, o.collection, o.id, edit), sent: true, reembedded: plan.document !== undefined };
}

export interface AddOptions {
  client: ChromaClient;
  collection: Collection;
  text: string;
  embedder: () => Promise<EmbeddingFunction>;
}

/** Adds a new record from its file, embedded with the collection's function; refuses an id that exists. */
export async function addRecord(o: AddOptions): Promise<SaveResult & { id: string }> {
  const edit = parseOrRefuse(o.text, { mode: 'new', ...metadataChecks(o.client.limits) });
  const id = edit.id!;
  const document = edit.document!;
  const existing = await o.client.get(o.collection, { ids: [id], include: [] });
  if (existing.ids.includes(id)) {
    throw new RecordRefusedError([
      { message: `A record with the id ${name(id)} is already in ${name(o.collection.name)}: choose another id (to change that record, open it from the Chroma view).`, offset: 0, length: 0 },
    ]);
  }
  const embedding = await embedOne(o.embedder, o.collection, document);
  await o.client.add(o.collection, {
    ids: [id],
    documents: [document],
    embeddings: [embedding],
    metadatas: [hasOwnKeys(edit.metadata) ? edit.metadata : null],
    ...(edit.uri !== null && edit.uri !== undefined ? { uris: [edit.uri] } : {}),
  });
  return { id, base: await baseAfterWrite(o.client, o.collection, id, edit), sent: true, reembedded: true };
}
