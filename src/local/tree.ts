/**
 * The Local data node of the Chroma view and its data folders: each with its path, size and state ("not running",
 * "running on :8123", "stopped unexpectedly"), a tooltip naming which Chroma serves it, and the context values the
 * Stop / Restart / Show Output menus match.
 */
import * as vscode from 'vscode';
import type { SectionNode } from '../explorer/core/model';
import type { TreeSection } from '../explorer/treeProvider';
import { ContextValues } from '../explorer/contextValues';
import { Commands } from '../platform/commandIds';
import { displayLine, markdownLine } from '../util/text';
import { formatSize } from './core/dataFolder';
import type { ServerStatus } from './core';
import type { FolderEntry, LocalState } from './state';
import { crashText } from './state';

export const SECTION = 'local';
const ROOT: SectionNode = { kind: 'section', id: 'local', section: SECTION };
const FOLDER_PREFIX = 'local/f:';
/** "No Chroma data folders…": one object, as VS Code keys items by id and object. */
const NONE: SectionNode = { kind: 'section', id: 'local/none', section: SECTION, parent: ROOT };

export const LocalContext = {
  root: ContextValues.localData,
  folder: (status: ServerStatus): string =>
    status.state === 'running'
      ? ContextValues.localFolderRunning
      : status.state === 'stopped-unexpectedly'
        ? ContextValues.localFolderCrashed
        : status.state === 'starting'
          ? ContextValues.localFolderStarting
          : ContextValues.localFolderStopped,
} as const;

/** "not running", "starting…", "running on :8123", "stopped unexpectedly". */
export function stateText(status: ServerStatus): string {
  switch (status.state) {
    case 'not-running':
      return 'not running';
    case 'starting':
      return 'starting…';
    case 'running':
      return `running on :${status.port}${status.owned ? '' : ' (another window)'}`;
    case 'stopped-unexpectedly':
      return 'stopped unexpectedly';
  }
}

/** The data folder a node or command argument names: a folder node, or a folder's key. */
export function folderKeyOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  const node = arg as Partial<SectionNode> | undefined;
  return node?.kind === 'section' && node.section === SECTION && node.id?.startsWith(FOLDER_PREFIX) ? node.id.slice(FOLDER_PREFIX.length) : undefined;
}

export class LocalDataSection implements TreeSection {
  readonly name = SECTION;
  private readonly nodes = new Map<string, SectionNode>();
  /** Listings of the Local data node in flight: a change waits for them (VS Code registers ids twice otherwise). */
  private listing = 0;
  private dirty = false;
  private timer?: ReturnType<typeof setTimeout>;
  private listener?: (node: SectionNode | undefined) => void;
  /** Whether the view's last listing showed the Local data node: when that changes, the whole view is listed. */
  private shown = false;

  constructor(private readonly state: LocalState) {}

  /**
   * The Local data node, once there is a data folder to list (found by the search activation starts, opened, or
   * running): a workspace without one keeps the view empty, so that a newcomer sees its welcome (Add Connection,
   * New Local Chroma…).
   */
  roots(): SectionNode[] {
    this.shown = this.state.list().length > 0;
    return this.shown ? [ROOT] : [];
  }

  async children(node: SectionNode): Promise<SectionNode[]> {
    if (node.id !== ROOT.id) {
      return [];
    }
    this.listing++;
    try {
      if (!this.state.searched) {
        await this.state.refresh();
      }
      const out = this.state.list().map((e) => this.nodeOf(e));
      return out.length ? out : [NONE];
    } finally {
      this.listing--;
      if (this.listing === 0 && this.dirty) {
        this.schedule();
      }
    }
  }

  /** One change event for the changes of 100 ms, never while VS Code lists the node. */
  private schedule(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.listing === 0 && this.dirty) {
        this.dirty = false;
        this.listener?.(this.shown === this.state.list().length > 0 ? ROOT : undefined);
      }
    }, 100);
  }

  nodeOf(entry: FolderEntry): SectionNode {
    const id = FOLDER_PREFIX + entry.key;
    let node = this.nodes.get(id);
    if (!node) {
      node = { kind: 'section', id, section: SECTION, parent: ROOT };
      this.nodes.set(id, node);
    }
    return node;
  }

  get root(): SectionNode {
    return ROOT;
  }

  onDidChange(listener: (node: SectionNode | undefined) => void): { dispose(): void } {
    this.listener = listener;
    const subscription = this.state.onDidChange(() => this.schedule());
    return {
      dispose: () => {
        subscription.dispose();
        clearTimeout(this.timer);
        this.listener = undefined;
      },
    };
  }

  treeItem(node: SectionNode): vscode.TreeItem {
    if (node.id === ROOT.id) {
      const item = new vscode.TreeItem('Local data', vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('folder-library');
      item.contextValue = LocalContext.root;
      const running = this.state.list().filter((e) => this.state.status(e).state === 'running').length;
      item.description = running ? `${running} running` : undefined;
      item.tooltip = 'Chroma data folders (a folder with chroma.sqlite3) found in this workspace, and the ones you opened.';
      return item;
    }
    const key = folderKeyOf(node);
    const entry = key === undefined ? undefined : this.state.get(key);
    if (!entry) {
      const item = new vscode.TreeItem(
        this.state.partial ? 'No Chroma data folders found yet (the search stopped early)' : 'No Chroma data folders in this workspace',
        vscode.TreeItemCollapsibleState.None,
      );
      item.iconPath = new vscode.ThemeIcon('info');
      item.command = { command: Commands.openDataFolder, title: 'Open Chroma Data Folder…' };
      item.tooltip = 'Open a Chroma data folder (one with chroma.sqlite3), or make a new local Chroma.';
      return item;
    }
    return this.folderItem(entry);
  }

  private folderItem(entry: FolderEntry): vscode.TreeItem {
    const status = this.state.status(entry);
    const item = new vscode.TreeItem(displayLine(entry.label, 200) || ' ', vscode.TreeItemCollapsibleState.None);
    const size = entry.info ? `${formatSize(entry.info.sizeBytes, entry.info.sizeComplete)} · ` : '';
    item.description = `${size}${stateText(status)}`;
    item.iconPath = new vscode.ThemeIcon(
      status.state === 'running' ? 'vm-running' : status.state === 'stopped-unexpectedly' ? 'warning' : status.state === 'starting' ? 'loading~spin' : 'database',
    );
    item.contextValue = LocalContext.folder(status);
    item.tooltip = this.tooltip(entry, status);
    item.resourceUri = vscode.Uri.file(entry.path);
    return item;
  }

  private tooltip(entry: FolderEntry, status: ServerStatus): vscode.MarkdownString {
    const lines = [`**${markdownLine(entry.label, 200)}**`, '', markdownLine(entry.path, 500), ''];
    if (entry.info) {
      lines.push(`Size: ${formatSize(entry.info.sizeBytes, entry.info.sizeComplete)}`, '');
    }
    lines.push(`State: ${markdownLine(stateText(status), 100)}`, '');
    if (status.state === 'running') {
      lines.push(`Served by ${markdownLine(status.description, 300)} at ${markdownLine(status.url, 100)}`, '');
    } else if (status.state === 'stopped-unexpectedly') {
      lines.push(markdownLine(crashText(entry.label, status), 500), '');
    }
    if (status.state !== 'running' && entry.resolution) {
      const chosen = entry.resolution.chosen;
      lines.push(
        chosen
          ? `Opens with ${markdownLine(chosen.description, 300)}`
          : entry.resolution.problem
            ? markdownLine(entry.resolution.problem, 400)
            : 'No Chroma found for it: Open Chroma Data Folder… offers to install one.',
      );
    }
    const md = new vscode.MarkdownString(lines.join('\n'), false);
    md.isTrusted = false;
    md.supportHtml = false;
    return md;
  }
}
