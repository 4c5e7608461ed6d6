import * as vscode from 'vscode';
import { describeAuth } from '../common/connectionConfig';
import type { ExplorerModel, ExplorerNode } from '../model/explorer';
import { distanceSpace, embeddingFunctionLabel, preview } from '../model/recordView';
import { Commands } from '../commands/ids';
import { ContextValues } from './contextValues';

const fmt = new Intl.NumberFormat('en-US');

/** Maps the explorer model's nodes to TreeItems; it holds no data of its own. */
export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: { dispose(): void };

  constructor(readonly model: ExplorerModel) {
    this.subscription = model.onDidChange((node) => this.emitter.fire(node));
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return this.model.children(node);
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.model.getParent(node);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'connection': {
        const c = node.connection;
        const item = new vscode.TreeItem(c.name, C.Collapsed);
        item.description = new URL(c.url).host + (c.database ? ` · ${c.database}` : '');
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = ContextValues.connection;
        item.tooltip = markdown([
          `**${c.name}**`,
          '',
          `- URL: ${c.url}`,
          `- tenant: ${c.tenant ?? 'from the server (/auth/identity)'}`,
          `- database: ${c.database ?? 'all of the tenant'}`,
          `- auth: ${describeAuth(c.authHeader)}`,
        ]);
        return withId(item, node);
      }
      case 'database': {
        const item = new vscode.TreeItem(node.database, C.Collapsed);
        item.description = node.tenant;
        item.iconPath = new vscode.ThemeIcon('database');
        item.contextValue = ContextValues.database;
        item.tooltip = `Database ${node.database} of tenant ${node.tenant}`;
        return withId(item, node);
      }
      case 'collection': {
        const c = node.collection;
        const item = new vscode.TreeItem(c.name, C.Collapsed);
        item.description =
          node.count !== undefined ? `${fmt.format(node.count)} record${node.count === 1 ? '' : 's'}` : node.countError ? 'count failed' : '…';
        item.iconPath = new vscode.ThemeIcon('layers');
        item.contextValue = ContextValues.collection;
        item.tooltip = markdown([
          `**${c.name}**`,
          '',
          `- id: \`${c.id}\``,
          `- records: ${node.count !== undefined ? fmt.format(node.count) : (node.countError ?? 'counting…')}`,
          `- dimension: ${c.dimension ?? 'not set yet'}`,
          `- distance: ${distanceSpace(c)}`,
          `- embedding function: ${embeddingFunctionLabel(c)}`,
          ...(c.metadata && Object.keys(c.metadata).length ? ['', '```json', JSON.stringify(c.metadata, null, 2), '```'] : []),
        ]);
        return withId(item, node);
      }
      case 'record': {
        const item = new vscode.TreeItem(node.recordId, C.None);
        item.description = preview(node.document);
        item.iconPath = new vscode.ThemeIcon('symbol-string');
        item.contextValue = ContextValues.record;
        item.tooltip = markdown([
          `**${node.recordId}**`,
          '',
          preview(node.document, 400) || '_no document_',
          ...(node.metadata && Object.keys(node.metadata).length ? ['', '```json', JSON.stringify(node.metadata, null, 2), '```'] : []),
        ]);
        item.command = { command: Commands.openRecord, title: 'Open Record', arguments: [node] };
        return withId(item, node);
      }
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', C.None);
        item.description = node.total !== undefined ? `${fmt.format(node.loaded)} of ${fmt.format(node.total)}` : `${fmt.format(node.loaded)} loaded`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = ContextValues.loadMore;
        item.command = { command: Commands.loadMore, title: 'Load More', arguments: [node] };
        return withId(item, node);
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message, C.None);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.tooltip = node.message;
        if (node.action === 'setToken') {
          item.contextValue = ContextValues.errorAuth;
          item.command = { command: Commands.setToken, title: 'Set Token…', arguments: [node] };
        } else {
          item.contextValue = ContextValues.error;
          item.command = { command: Commands.refreshNode, title: 'Retry', arguments: [node] };
        }
        return withId(item, node);
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, C.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return withId(item, node);
      }
    }
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

function markdown(lines: string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(lines.join('\n'));
  md.supportThemeIcons = true;
  return md;
}
