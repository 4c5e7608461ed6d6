/**
 * Find Collection…: a quick pick over every collection name of a database (fetched in pages, with progress, and
 * cancelled when the pick closes), then the choice is revealed and selected in the tree. On a database node it
 * searches that database; from the palette the user picks the connection and database first.
 */
import * as vscode from 'vscode';
import { describeError } from '../chroma/errors';
import type { Collection } from '../chroma/types';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { BACK, pickStep, runSteps, untilSettled } from '../platform/quickInput';
import type { StepResult } from '../platform/quickInput';
import { registerCommand } from '../platform/registerCommand';
import { displayLine, formatCount } from '../util/text';
import type { ConnectionNode, DatabaseNode, ExplorerModel, ExplorerNode } from '../explorer/core/model';
import { revealNode } from '../explorer/revealNode';

const TITLE = 'Find Collection';

interface NodeItem<T> extends vscode.QuickPickItem {
  node: T;
}

/** The database to search: the node's own, or the one the user picks (skipping a step with one choice). */
async function databaseOf(model: ExplorerModel, arg: unknown): Promise<DatabaseNode | undefined> {
  const node = arg as ExplorerNode | undefined;
  if (node?.kind === 'database') {
    return node;
  }
  if (node?.kind === 'collection') {
    return node.parent;
  }
  let connection: ConnectionNode | undefined = node?.kind === 'connection' ? node : undefined;
  let database: DatabaseNode | undefined;
  const pickConnection = async (): Promise<StepResult<unknown>> => {
    const roots = model.roots();
    if (roots.length === 0) {
      void vscode.window.showInformationMessage('No Chroma connections yet: add one with "Chroma: Add Connection…".');
      return undefined;
    }
    if (roots.length === 1 || (node?.kind === 'connection' && connection)) {
      connection = connection ?? roots[0];
      return connection;
    }
    const picked = await pickStep<NodeItem<ConnectionNode>>(
      { title: TITLE, step: 1, totalSteps: 3 },
      {
        placeholder: 'Connection',
        items: roots.map((c) => ({ label: displayLine(c.connection.name, 200), description: displayLine(c.connection.url, 200), node: c })),
      },
    );
    if (picked && picked !== BACK && typeof picked === 'object') {
      connection = picked.node;
    }
    return picked;
  };
  const pickDatabase = async (): Promise<StepResult<unknown>> => {
    const children = await model.children(connection);
    const error = children.find((n) => n.kind === 'error');
    if (error?.kind === 'error') {
      void vscode.window.showErrorMessage(`Cannot list the databases of ${displayLine(connection!.connection.name, 80)}: ${error.message}`);
      return undefined;
    }
    const databases = children.filter((n): n is DatabaseNode => n.kind === 'database');
    if (databases.length === 1) {
      database = databases[0];
      return database;
    }
    const picked = await pickStep<NodeItem<DatabaseNode>>(
      { title: TITLE, step: 2, totalSteps: 3, back: model.roots().length > 1 },
      {
        placeholder: 'Database',
        items: databases.map((d) => ({ label: displayLine(d.database, 200), description: displayLine(d.tenant, 200), node: d })),
      },
    );
    if (picked && picked !== BACK && typeof picked === 'object') {
      database = picked.node;
    }
    return picked;
  };
  const done = await runSteps([pickConnection, pickDatabase]);
  return done ? database : undefined;
}

interface CollectionItem extends vscode.QuickPickItem {
  collection: Collection;
}

/**
 * Shows every collection of `database` in a quick pick that fills page by page; resolves to the choice, or
 * undefined when the user closes it (which stops the fetching).
 */
function pickCollection(model: ExplorerModel, database: DatabaseNode): Promise<Collection | undefined> {
  const pick = vscode.window.createQuickPick<CollectionItem>();
  pick.title = `${TITLE} in ${displayLine(database.database, 80)}`;
  pick.placeholder = 'Type a collection name';
  pick.matchOnDescription = true;
  pick.busy = true;
  pick.ignoreFocusOut = true;
  const abort = new AbortController();
  let shown = 0;
  const show = (all: readonly Collection[]) => {
    if (all.length === shown) {
      return;
    }
    shown = all.length;
    const active = pick.activeItems[0]?.collection.id;
    pick.items = [...all]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => ({ label: displayLine(c.name, 200), description: c.id, collection: c }));
    if (active) {
      const again = pick.items.find((i) => i.collection.id === active);
      if (again) {
        pick.activeItems = [again];
      }
    }
    pick.title = `${TITLE} in ${displayLine(database.database, 80)} (${formatCount(all.length)} loaded…)`;
  };
  let finish: (c: Collection | undefined) => void = () => undefined;
  const chosen = untilSettled<Collection | undefined>(
    pick,
    undefined,
    (f) => {
      finish = f;
      return [pick.onDidAccept(() => finish(pick.selectedItems[0]?.collection ?? pick.activeItems[0]?.collection))];
    },
    () => abort.abort(),
  );
  model.allCollections(database, show, abort.signal).then(
    (all) => {
      show(all);
      pick.busy = false;
      pick.title = `${TITLE} in ${displayLine(database.database, 80)} (${formatCount(all.length)})`;
      if (all.length === 0) {
        pick.placeholder = 'This database has no collections';
      }
    },
    (e: unknown) => {
      pick.busy = false;
      if (!abort.signal.aborted) {
        finish(undefined);
        void vscode.window.showErrorMessage(`Cannot list the collections of ${displayLine(database.database, 80)}: ${describeError(e)}`);
      }
    },
  );
  return chosen;
}

export function registerFindCollection(log: Logger, model: ExplorerModel, treeView: vscode.TreeView<ExplorerNode>): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.findCollection, async (arg?: unknown) => {
      const database = await databaseOf(model, arg);
      if (!database) {
        return undefined;
      }
      const collection = await pickCollection(model, database);
      if (!collection) {
        return undefined;
      }
      const node = await model.collectionNode(database, collection);
      await revealNode(treeView, model, node, { select: true, focus: true, expand: false });
      return node.collection.name;
    }),
  ];
}
