/**
 * Creating, renaming and deleting collections and records: on the tree node a menu item was run on, or, from the
 * palette, on what the user picks (connection → database → collection → record).
 */
import type * as vscode from 'vscode';
import { collectionNameMessage } from '../chroma';
import type { Collection } from '../chroma';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import { SUPPORTED_FUNCTIONS } from '../embedding/core/resolve';
import type { CollectionPicker, DatabaseTarget } from '../pickers/collectionPicker';
import { connectionOf } from '../explorer/core/model';
import type { CollectionNode, ExplorerModel } from '../explorer/core/model';
import { confirmModal, nodeOf, nodesOf, plural } from '../explorer/commandArgs';
import { deleteRecordNodes } from './recordDeletion';
import { displayLine } from '../util/text';
import type { Logger } from '../platform/log';
import { inputStep, pickStep, runSteps } from '../platform/quickInput';
import type { StepResult } from '../platform/quickInput';

const SPACES = [
  { label: 'l2', description: 'squared Euclidean distance (Chroma’s default)' },
  { label: 'cosine', description: 'cosine distance, for normalised embeddings' },
  { label: 'ip', description: 'inner product' },
];

const EF_ITEMS = [
  ...SUPPORTED_FUNCTIONS.map((f) => ({ label: f, description: f === 'default' ? 'all-MiniLM-L6-v2, runs locally' : undefined })),
  { label: 'none', description: 'your app supplies the embeddings' },
];

const confirm = confirmModal;

/** The name, embedding function and distance of a new collection: three steps, each keeping its answer on Back. */
function newCollectionSteps(title: () => string, backFromName: () => boolean) {
  const answers = { name: '', ef: EF_ITEMS[0], space: SPACES[0] };
  const steps: Array<() => Promise<StepResult<unknown>>> = [
    async () => {
      const v = await inputStep({ title: title(), step: 1, totalSteps: 3, back: backFromName() }, {
        value: answers.name,
        prompt: 'Name: 3–512 characters from letters, digits, ".", "_" and "-", starting and ending with a letter or digit',
        validate: collectionNameMessage,
      });
      answers.name = typeof v === 'string' ? v : answers.name;
      return v;
    },
    async () => {
      const v = await pickStep({ title: title(), step: 2, totalSteps: 3 }, { items: EF_ITEMS, active: answers.ef, placeholder: 'Embedding function stored with the collection (Enter: default)' });
      answers.ef = v && typeof v === 'object' ? v : answers.ef;
      return v;
    },
    async () => {
      const v = await pickStep({ title: title(), step: 3, totalSteps: 3 }, { items: SPACES, active: answers.space, placeholder: 'Distance (Enter: l2)' });
      answers.space = v && typeof v === 'object' ? v : answers.space;
      return v;
    },
  ];
  return { steps, answers };
}

/** What the commands here share. */
interface Manage {
  log: Logger;
  model: ExplorerModel;
  picker: CollectionPicker;
}

export function registerManageCommands(log: Logger, model: ExplorerModel, picker: CollectionPicker): vscode.Disposable[] {
  const m: Manage = { log, model, picker };
  return [
    registerCommand(log, Commands.createCollection, (arg?: unknown) => createCollection(m, arg)),
    registerCommand(log, Commands.renameCollection, async (arg?: unknown) => {
      const t = await picker.targetOf(arg, 'Rename a collection');
      if (!t) {
        return undefined;
      }
      const old = t.collection.name;
      const name = await inputStep({ title: `Rename "${old}"` }, { value: old, prompt: 'The new name', validate: collectionNameMessage });
      if (typeof name !== 'string' || name === old) {
        return undefined;
      }
      await (await picker.clientFor(t.connection)).modifyCollection(t.collection, { name });
      log.info(`renamed ${t.collection.database}/${old} to ${name}`);
      model.refreshDatabase(t.connection.name, t.collection.tenant, t.collection.database);
      return name;
    }),
    registerCommand(log, Commands.deleteCollection, (arg?: unknown, selected?: unknown) => deleteCollection(m, arg, selected)),
    registerCommand(log, Commands.deleteRecord, (arg?: unknown, selected?: unknown) => deleteRecord(m, arg, selected)),
  ];
}

/** Create Collection…: on a database node its three steps; from the palette the database first, in the same wizard. */
async function createCollection({ log, model, picker }: Manage, arg: unknown): Promise<Collection | undefined> {
  const node = nodeOf(arg, 'database');
  let where: DatabaseTarget | undefined;
  let wizard: ReturnType<typeof newCollectionSteps> | undefined;
  if (node) {
    wizard = newCollectionSteps(() => `New collection in ${node.database}`, () => false);
    where = (await runSteps(wizard.steps)) ? { connection: connectionOf(node), scope: { tenant: node.tenant, database: node.database } } : undefined;
  } else {
    // From the palette: the database first, in the same wizard, so Back from the name returns to it.
    where = await picker.pickDatabase('Create a collection', (at) => {
      wizard = newCollectionSteps(() => `New collection in ${displayLine(at().scope.database, 100)}`, () => at().back);
      return wizard.steps;
    });
  }
  if (!where || !wizard) {
    return undefined;
  }
  const { name, ef, space } = wizard.answers;
  const client = await picker.clientFor(where.connection);
  const collection = await client.createCollection(
    {
      name,
      configuration: {
        hnsw: { space: space.label },
        ...(ef.label === 'none' ? {} : { embedding_function: { type: 'known', name: ef.label, config: {} } }),
      },
    },
    { scope: where.scope },
  );
  log.info(`created ${where.scope.database}/${name} (${ef.label}, ${space.label})`);
  model.refreshDatabase(where.connection.name, collection.tenant, collection.database);
  return collection;
}

/** Delete Collection…: the node's (or the selected ones, after one dialog naming them all), or one the user picks. */
async function deleteCollection(m: Manage, arg: unknown, selected: unknown): Promise<boolean> {
  const several = nodesOf(arg, selected, 'collection');
  if (several.length > 1) {
    return deleteCollections(m, several);
  }
  const t = await m.picker.targetOf(arg, 'Delete a collection');
  if (!t) {
    return false;
  }
  const c = t.collection;
  const client = await m.picker.clientFor(t.connection);
  const node = nodeOf(arg, 'collection');
  // From the palette there is no count in sight: ask for it, so the dialog says what is lost.
  const n = node ? node.count : await client.count(c).catch(() => undefined);
  const records = n !== undefined ? plural(n, 'record') : 'all its records';
  if (!(await confirm(`Delete the collection "${c.name}"?`, `It and ${records} are deleted from ${c.tenant}/${c.database} on ${t.connection.name}. This cannot be undone.`, 'Delete'))) {
    return false;
  }
  await client.deleteCollection(c.name, { scope: { tenant: c.tenant, database: c.database } });
  m.log.info(`deleted collection ${c.database}/${c.name}`);
  m.model.refreshDatabase(t.connection.name, c.tenant, c.database);
  return true;
}

/** Several selected collections: one dialog naming them all, then each is deleted. */
async function deleteCollections({ log, model, picker }: Manage, nodes: readonly CollectionNode[]): Promise<boolean> {
  const names = nodes.map((n) => `"${displayLine(n.collection.name, 60)}" (${n.count !== undefined ? plural(n.count, 'record') : 'records not counted'})`);
  const detail = `${names.slice(0, 10).join(', ')}${nodes.length > 10 ? `, and ${nodes.length - 10} more` : ''} are deleted with all their records. This cannot be undone.`;
  if (!(await confirm(`Delete ${plural(nodes.length, 'collection')}?`, detail, 'Delete'))) {
    return false;
  }
  for (const n of nodes) {
    const c = n.collection;
    const client = await picker.clientFor(connectionOf(n));
    await client.deleteCollection(c.name, { scope: { tenant: c.tenant, database: c.database } });
    log.info(`deleted collection ${c.database}/${c.name}`);
    model.refreshDatabase(connectionOf(n).name, c.tenant, c.database);
  }
  return true;
}

/** Delete Record…: the node's (or, run on one of several selected, all of them after one dialog), or one the user picks. */
async function deleteRecord(m: Manage, arg: unknown, selected: unknown): Promise<boolean> {
  const several = nodesOf(arg, selected, 'record');
  if (several.length > 1) {
    return (await deleteRecordNodes(several, m))?.deleted !== undefined;
  }
  const r = await m.picker.recordOf(arg, 'Delete a record');
  if (!r) {
    return false;
  }
  if (!(await confirm(`Delete the record "${displayLine(r.recordId, 120)}"?`, `It is deleted from "${r.collection.name}" on the server. This cannot be undone.`, 'Delete'))) {
    return false;
  }
  await (await m.picker.clientFor(r.connection)).delete(r.collection, { ids: [r.recordId] });
  m.log.info(`deleted a record of ${r.collection.database}/${r.collection.name}`);
  m.model.refreshCollection(r.connection.name, r.collection);
  return true;
}
