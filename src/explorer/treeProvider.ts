import * as vscode from 'vscode';
import { displayLine, formatCount } from '../util/text';
import type { DatabaseNode, ExplorerModel, ExplorerNode, SectionNode } from './core/model';
import { describeFilter } from '../filter/core/describe';
import { describeError } from '../chroma/errors';
import { withSignal } from '../platform/progress';
import { collectionTooltip, connectionTooltip, preview, recordTooltip } from './core/recordView';
import type { CollectionExtras } from './core/recordView';
import { Commands } from '../platform/commandIds';
import { ContextValues } from './contextValues';

/** Labels and descriptions: one line, no control or bidi characters, bounded (the node keeps the full text). */
const LABEL_MAX = 200;
const label = (text: string, max = LABEL_MAX): string => displayLine(text, max) || ' ';

/**
 * Nodes another feature shows above the connections (Local data): it lists and maps them itself and says when
 * they changed (undefined: all of its nodes).
 */
export interface TreeSection {
  readonly name: string;
  roots(): SectionNode[];
  children(node: SectionNode): Promise<SectionNode[]> | SectionNode[];
  treeItem(node: SectionNode): vscode.TreeItem;
  onDidChange(listener: (node: SectionNode | undefined) => void): { dispose(): void };
}

/** Maps the explorer model's nodes to TreeItems; it holds no data of its own. */
export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExplorerNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: { dispose(): void };
  private readonly sections = new Map<string, TreeSection>();

  constructor(readonly model: ExplorerModel) {
    this.subscription = model.onDidChange((node) => this.emitter.fire(node));
  }

  /** Shows a section's nodes first in the tree until the returned disposable is disposed. */
  addSection(section: TreeSection): vscode.Disposable {
    this.sections.set(section.name, section);
    const listener = section.onDidChange((node) => this.emitter.fire(node ? [node] : undefined));
    this.emitter.fire(undefined);
    return new vscode.Disposable(() => {
      listener.dispose();
      this.sections.delete(section.name);
      this.emitter.fire(undefined);
    });
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node?.kind === 'section') {
      return (await this.sections.get(node.section)?.children(node)) ?? [];
    }
    const children = await this.model.children(node);
    if (!node) {
      return [...[...this.sections.values()].flatMap((s) => s.roots()), ...children];
    }
    if (node?.kind === 'connection') {
      // the databases are shown now: their collection counts follow in the background
      this.model.countDatabases(children.filter((n): n is DatabaseNode => n.kind === 'database'));
    }
    return children;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.model.getParent(node);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'connection': {
        const c = node.connection;
        const item = new vscode.TreeItem(label(c.name), C.Collapsed);
        item.description = label(new URL(c.url).host + (c.database ? ` · ${c.database}` : ''));
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = ContextValues.connection;
        item.tooltip = markdown(connectionTooltip(c));
        return withId(item, node);
      }
      case 'database':
        return withId(this.databaseItem(node), node);
      case 'collection': {
        const c = node.collection;
        const item = new vscode.TreeItem(label(c.name), C.Collapsed);
        const count =
          node.count !== undefined ? `${formatCount(node.count)} record${node.count === 1 ? '' : 's'}` : node.countError ? 'count failed' : '…';
        item.description = node.filter ? label(`${count} · filtered: ${describeFilter(node.filter)}`) : count;
        item.iconPath = new vscode.ThemeIcon(node.filter ? 'filter' : 'layers');
        item.contextValue = node.filter ? ContextValues.filteredCollection : ContextValues.collection;
        // the tooltip comes from resolveTreeItem, on hover (with the indexing status, where the server has it)
        return withId(item, node);
      }
      case 'record': {
        const item = new vscode.TreeItem(label(node.recordId), C.None);
        item.description = preview(node.documentStart);
        item.iconPath = new vscode.ThemeIcon('symbol-string');
        item.contextValue = ContextValues.record;
        item.tooltip = markdown(recordTooltip(node));
        item.command = { command: Commands.openRecord, title: 'Open Record', arguments: [node] };
        return withId(item, node);
      }
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', C.None);
        item.description = node.total !== undefined ? `${formatCount(node.loaded)} of ${formatCount(node.total)}` : `${formatCount(node.loaded)} loaded`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = ContextValues.loadMore;
        item.command = { command: Commands.loadMore, title: 'Load More', arguments: [node] };
        return withId(item, node);
      }
      case 'error': {
        const item = new vscode.TreeItem(label(node.message, 300), C.None);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.tooltip = displayLine(node.message, 1_000);
        if (node.action === 'setToken') {
          item.contextValue = ContextValues.errorAuth;
          item.command = { command: Commands.setToken, title: 'Set Token…', arguments: [node] };
        } else if (node.action === 'none') {
          // a record the server sent broken: nothing to retry or open
        } else {
          item.contextValue = ContextValues.error;
          item.command = { command: Commands.refreshNode, title: 'Retry', arguments: [node] };
        }
        return withId(item, node);
      }
      case 'section':
        return withId(this.sections.get(node.section)?.treeItem(node) ?? new vscode.TreeItem(' ', C.None), node);
      case 'message': {
        const item = new vscode.TreeItem(label(node.text), C.None);
        item.iconPath = new vscode.ThemeIcon(node.action === 'addDatabase' ? 'add' : 'info');
        if (node.action === 'addDatabase') {
          item.tooltip = 'This server (Chroma before 0.6.3) cannot list the databases of a tenant: add one by its name to see it here.';
          item.command = { command: Commands.addDatabaseToView, title: 'Add Database to View…', arguments: [node] };
        }
        return withId(item, node);
      }
    }
  }

  /** A database: its collection count, tenant and order in the description; why it is shown, in the tooltip. */
  private databaseItem(node: DatabaseNode): vscode.TreeItem {
    const item = new vscode.TreeItem(label(node.database), vscode.TreeItemCollapsibleState.Collapsed);
    const count = node.collectionCount !== undefined ? `${formatCount(node.collectionCount)} collection${node.collectionCount === 1 ? '' : 's'} · ` : '';
    // Past the sorted-list limit the collections come in the server's order: say so where the user looks.
    item.description = node.missing
      ? 'does not exist on this server'
      : label(`${count}${node.tenant}${this.model.orderOf(node) === 'server' ? ' · server order' : ''}${node.unlisted === 'added' ? ' · added' : ''}`);
    item.iconPath = new vscode.ThemeIcon(node.missing ? 'warning' : 'database');
    item.contextValue = node.unlisted === 'added' ? ContextValues.addedDatabase : ContextValues.database;
    item.tooltip =
      `Database ${label(node.database)} of tenant ${label(node.tenant)}` +
      (node.missing ? '\nThe server says it does not exist.' : '') +
      (node.unlisted === 'connection'
        ? "\nThe server's listing does not have it: it is shown because the connection names it."
        : node.unlisted
          ? `\nThis server cannot list its databases: it is shown because ${node.unlisted === 'added' ? 'you added it (Add Database to View…)' : 'the connection or the server names it'}.`
          : '') +
      (node.collectionCountError !== undefined ? `\nIts collections could not be counted: ${displayLine(node.collectionCountError, 300)}` : '') +
      (this.model.orderOf(node) === 'server'
        ? `\nIts collections are listed in the server's order: it has more than chroma.explorer.sortedListLimit of them. Use Find Collection… to go to one by name.`
        : '');
    return item;
  }

  /**
   * On hover, a collection's tooltip gains what newer servers report: its indexing status, fetched then (and only where
   * the server reports one: see ChromaClient.capabilities), so listing stays one request per page.
   */
  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'collection') {
      return item;
    }
    let indexing: CollectionExtras['indexing'];
    try {
      const client = await this.model.client(node);
      indexing = await withSignal(token, (signal) => client.indexingStatusIfSupported(node.collection, { signal, timeoutMs: 5_000 }));
    } catch (e) {
      indexing = token.isCancellationRequested ? undefined : { error: describeError(e) };
    }
    item.tooltip = markdown(collectionTooltip(node, { indexing }));
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function withId(item: vscode.TreeItem, node: ExplorerNode): vscode.TreeItem {
  item.id = node.id;
  return item;
}

/** Tooltip Markdown, built from escaped server text: untrusted, no theme icons, no HTML. */
function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
