import * as vscode from 'vscode';
import { collectionNameMessage } from '../chroma';
import type { Collection } from '../chroma';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import { SUPPORTED_FUNCTIONS } from '../embedding/core/resolve';
import type { CollectionNode, DatabaseNode, ExplorerModel, RecordNode } from './core/model';
import { displayLine } from '../util/text';
import type { Logger } from '../platform/log';
import { inputStep, pickStep, runSteps } from '../platform/quickInput';

const SPACES = [
  { label: 'l2', description: 'squared Euclidean distance (Chroma’s default)' },
  { label: 'cosine', description: 'cosine distance, for normalised embeddings' },
  { label: 'ip', description: 'inner product' },
];

/** Confirms a destructive action with a modal dialog; true only when the user chose `action`. */
async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}

/** Creating, renaming and deleting collections and records from the tree. */
export function registerManageCommands(log: Logger, model: ExplorerModel): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.createCollection, async (node: DatabaseNode): Promise<Collection | undefined> => {
      const title = `New collection in ${node.database}`;
      const efItems = [
        ...SUPPORTED_FUNCTIONS.map((f) => ({ label: f, description: f === 'default' ? 'all-MiniLM-L6-v2, runs locally' : undefined })),
        { label: 'none', description: 'your app supplies the embeddings' },
      ];
      let name = '';
      let ef = efItems[0];
      let space = SPACES[0];
      const done = await runSteps([
        async () => {
          const v = await inputStep({ title, step: 1, totalSteps: 3 }, {
            value: name,
            prompt: 'Name: 3–512 characters from letters, digits, ".", "_" and "-", starting and ending with a letter or digit',
            validate: collectionNameMessage,
          });
          name = typeof v === 'string' ? v : name;
          return v;
        },
        async () => {
          const v = await pickStep({ title, step: 2, totalSteps: 3 }, { items: efItems, active: ef, placeholder: 'Embedding function stored with the collection (Enter: default)' });
          ef = v && typeof v === 'object' ? v : ef;
          return v;
        },
        async () => {
          const v = await pickStep({ title, step: 3, totalSteps: 3 }, { items: SPACES, active: space, placeholder: 'Distance (Enter: l2)' });
          space = v && typeof v === 'object' ? v : space;
          return v;
        },
      ]);
      if (!done) {
        return undefined;
      }
      const client = await model.client(node);
      const collection = await client.createCollection(
        {
          name,
          configuration: {
            hnsw: { space: space.label },
            ...(ef.label === 'none' ? {} : { embedding_function: { type: 'known', name: ef.label, config: {} } }),
          },
        },
        { scope: { tenant: node.tenant, database: node.database } },
      );
      log.info(`created ${node.database}/${name} (${ef.label}, ${space.label})`);
      model.refresh(node);
      return collection;
    }),
    registerCommand(log, Commands.renameCollection, async (node: CollectionNode) => {
      const name = await inputStep({ title: `Rename "${node.collection.name}"` }, {
        value: node.collection.name,
        prompt: 'The new name',
        validate: collectionNameMessage,
      });
      if (typeof name !== 'string' || name === node.collection.name) {
        return undefined;
      }
      await (await model.client(node)).modifyCollection(node.collection, { name });
      model.refresh(node.parent);
      return name;
    }),
    registerCommand(log, Commands.deleteCollection, async (node: CollectionNode) => {
      const c = node.collection;
      const count = node.count !== undefined ? `${node.count} record${node.count === 1 ? '' : 's'}` : 'all its records';
      if (!(await confirm(`Delete the collection "${c.name}"?`, `It and ${count} are deleted from ${c.tenant}/${c.database} on the server. This cannot be undone.`, 'Delete'))) {
        return false;
      }
      await (await model.client(node)).deleteCollection(c.name, { scope: { tenant: c.tenant, database: c.database } });
      log.info(`deleted collection ${c.database}/${c.name}`);
      model.refresh(node.parent);
      return true;
    }),
    registerCommand(log, Commands.deleteRecord, async (node: RecordNode) => {
      if (!(await confirm(`Delete the record "${displayLine(node.recordId, 120)}"?`, `It is deleted from "${node.parent.collection.name}" on the server. This cannot be undone.`, 'Delete'))) {
        return false;
      }
      await (await model.client(node)).delete(node.parent.collection, { ids: [node.recordId] });
      model.refresh(node.parent);
      return true;
    }),
  ];
}
