/**
 * A tree view whose data comes from a module loaded later: the view is created at activation (VS Code needs its
 * provider then) and shows nothing — its welcome content — until the real provider is attached, after which every
 * call goes to it.
 */
import * as vscode from 'vscode';

export class DeferredTreeData<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private inner: vscode.TreeDataProvider<T> | undefined;
  private readonly emitter = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private innerChanges: vscode.Disposable | undefined;

  /** From now on `provider` answers; the view is refreshed once. */
  attach(provider: vscode.TreeDataProvider<T>): void {
    this.innerChanges?.dispose();
    this.inner = provider;
    this.innerChanges = provider.onDidChangeTreeData?.((e) => this.emitter.fire(e));
    this.emitter.fire(undefined);
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (!this.inner) {
      throw new Error('no tree data yet');
    }
    return this.inner.getTreeItem(element);
  }

  getChildren(element?: T): vscode.ProviderResult<T[]> {
    return this.inner ? this.inner.getChildren(element) : [];
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.inner?.getParent?.(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: T, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return this.inner?.resolveTreeItem ? this.inner.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.innerChanges?.dispose();
    this.emitter.dispose();
  }
}
