/**
 * The "Chroma Results" tree view: the query shown last (its header, its filter, one item per hit), or for several
 * queries at once (a playground file) one expandable header each. The items' text comes from the pure model; this
 * file maps it to TreeItems, checks which hits' files changed since they were added (the "stale" marker), and keeps
 * the gutter marks in step. Tooltips are built when hovered, from escaped server text (untrusted Markdown).
 */
import * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import { headerModel, headerTooltip, hitModel, hitTooltip, filterText } from './core/resultsModel';
import type { HeaderModel, HitModel, HitStatus, ResultsEntry } from './core/resultsModel';
import { describeInput } from './core/resultsModel';
import { linesToShow } from './core/sourceLink';
import type { LineMark, SourceLineDecorations } from './decorations';
import type { SourceFiles } from './sourceFiles';
import { displayLine } from '../util/text';

/**
 * The view as activation created it (before this module was loaded): the results view attaches itself as its
 * data provider.
 */
export interface ResultsHost {
  treeView: vscode.TreeView<unknown>;
  attach(provider: vscode.TreeDataProvider<unknown>): void;
}

export { RESULTS_VIEW_ID } from '../platform/viewIds';
/** Context key: the view holds results (for when clauses of Re-run, Copy, Clear). */
export const HAS_RESULTS_KEY = 'chroma.hasResults';

export const ResultsContextValues = {
  header: 'queryHeader',
  filter: 'queryFilter',
  /** A hit whose metadata names a file and lines: Go to Source. */
  hitWithSource: 'queryHitSource',
  hit: 'queryHit',
  message: 'queryMessage',
} as const;

/** A shown query, with what is known about its hits' files. */
export interface ShownEntry extends ResultsEntry {
  /** By rank: the workspace file a hit came from, once located. */
  files: Map<number, vscode.Uri>;
  status: Map<number, HitStatus>;
}

export type ResultsNode =
  | { kind: 'header'; id: string; entry: ShownEntry; model: HeaderModel }
  | { kind: 'filter'; id: string; entry: ShownEntry; text: string }
  | { kind: 'hit'; id: string; entry: ShownEntry; model: HitModel }
  | { kind: 'message'; id: string; entry: ShownEntry; text: string; error: boolean };

export type HitNode = Extract<ResultsNode, { kind: 'hit' }>;

export function isHitNode(arg: unknown): arg is HitNode {
  const n = arg as Partial<HitNode> | null;
  return typeof n === 'object' && n !== null && n.kind === 'hit' && typeof n.model === 'object' && typeof n.entry === 'object';
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

export class ResultsView implements vscode.TreeDataProvider<ResultsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ResultsNode | ResultsNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly treeView: vscode.TreeView<ResultsNode>;
  private entries: ShownEntry[] = [];
  private readonly headers = new Map<number, ResultsNode>();
  private readonly children = new Map<number, ResultsNode[]>();
  private readonly subscriptions: vscode.Disposable[];
  private recheck: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Set<string>();
  /** Settles when the hits' files shown last have been checked. */
  checked: Promise<void> = Promise.resolve();

  constructor(
    private readonly files: SourceFiles,
    private readonly decorations: SourceLineDecorations,
    host: ResultsHost,
  ) {
    this.treeView = host.treeView as vscode.TreeView<ResultsNode>;
    host.attach(this as vscode.TreeDataProvider<unknown>);
    this.subscriptions = [this.emitter, files.onDidChange((uri) => this.fileChanged(uri))];
  }

  /** What is shown, in order. */
  shown(): readonly ShownEntry[] {
    return this.entries;
  }

  /** Shows these queries in place of what was there, then checks their hits' files. */
  async show(entries: readonly ResultsEntry[]): Promise<void> {
    this.entries = entries.map((e) => ({ ...e, files: new Map(), status: new Map() }));
    this.files.reset();
    this.headers.clear();
    this.children.clear();
    void vscode.commands.executeCommand('setContext', HAS_RESULTS_KEY, this.entries.length > 0);
    this.treeView.message = undefined;
    this.emitter.fire(undefined);
    this.decorations.set([]);
    const first = this.entries.length > 0 ? this.headerOf(this.entries[0]) : undefined;
    if (first) {
      // shows the view (and its container) without taking the focus from the editor
      await Promise.resolve(this.treeView.reveal(first, { select: false, focus: false })).catch(() => undefined);
    }
    this.checked = this.checkFiles(this.entries);
  }

  clear(): void {
    void this.show([]);
  }

  private async checkFiles(entries: readonly ShownEntry[], only?: (rank: number, entry: ShownEntry) => boolean): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const entry of entries) {
      for (const hit of entry.run?.hits ?? []) {
        const model = hitModel(entry, hit);
        if (!model.link || (only && !only(hit.rank, entry))) {
          continue;
        }
        jobs.push(
          this.files.check(model.link, hit.document).then(({ uri, freshness }) => {
            if (uri) {
              entry.files.set(hit.rank, uri);
            } else {
              entry.files.delete(hit.rank);
            }
            const status: HitStatus | undefined = uri ? freshness : { state: 'missing', reason: `${displayLine(model.link?.source ?? model.link?.uri, 200)} is not in this workspace` };
            if (status) {
              entry.status.set(hit.rank, status);
            } else {
              entry.status.delete(hit.rank);
            }
          }),
        );
      }
    }
    await Promise.all(jobs);
    if (entries !== this.entries && !this.entries.some((e) => entries.includes(e))) {
      return;
    }
    const redraw = this.updateHits(entries);
    if (redraw.length > 0) {
      this.emitter.fire(redraw);
    }
    this.updateDecorations();
  }

  /**
   * Gives the listed hit nodes of `entries` their files' statuses, in place, and returns those whose item now draws
   * differently. Only those are refreshed: a refresh re-creates an item and disposes its click command, so a hit
   * clicked while the whole view was refreshed failed with "Actual command not found" (issue 24).
   */
  private updateHits(entries: readonly ShownEntry[]): ResultsNode[] {
    const redraw: ResultsNode[] = [];
    for (const entry of entries) {
      for (const node of this.children.get(entry.seq) ?? []) {
        if (node.kind !== 'hit') {
          continue;
        }
        const model = hitModel(entry, node.model.hit, entry.status.get(node.model.hit.rank));
        // the description carries the status's marker; icon and click command change only with it
        if (model.description !== node.model.description) {
          redraw.push(node);
        }
        node.model = model;
      }
    }
    return redraw;
  }

  private fileChanged(uri: vscode.Uri): void {
    this.pending.add(uri.toString());
    clearTimeout(this.recheck);
    this.recheck = setTimeout(() => {
      const changed = new Set(this.pending);
      this.pending.clear();
      // hits of a changed file, and hits whose file was missing (it may have been created)
      this.checked = this.checkFiles(this.entries, (rank, entry) => {
        const file = entry.files.get(rank);
        return file === undefined || changed.has(file.toString());
      });
    }, 300);
  }

  private updateDecorations(): void {
    const marks: LineMark[] = [];
    for (const entry of this.entries) {
      const query = describeInput(entry.spec.input, 60);
      for (const hit of entry.run?.hits ?? []) {
        const uri = entry.files.get(hit.rank);
        const model = hitModel(entry, hit);
        const status = entry.status.get(hit.rank);
        if (!uri || !model.link || status?.state === 'stale' || status?.state === 'missing') {
          continue;
        }
        const lines = linesToShow(model.link, status, Number.MAX_SAFE_INTEGER);
        const distance = hit.distance === null ? '' : ` (distance ${hit.distance.toFixed(4)})`;
        marks.push({ uri, ...lines, hover: `Chroma hit ${hit.rank} for ${query} in ${displayLine(entry.spec.collection, 80)}${distance}` });
      }
    }
    this.decorations.set(marks);
  }

  private headerOf(entry: ShownEntry): ResultsNode {
    let node = this.headers.get(entry.seq);
    if (!node) {
      const model = headerModel(entry);
      node = { kind: 'header', id: model.id, entry, model };
      this.headers.set(entry.seq, node);
    }
    return node;
  }

  /** The items under a query's header (or at the top, when one query is shown). */
  private childrenOf(entry: ShownEntry): ResultsNode[] {
    let nodes = this.children.get(entry.seq);
    if (!nodes) {
      nodes = [];
      const filter = filterText(entry.spec);
      if (filter) {
        nodes.push({ kind: 'filter', id: `q${entry.seq}/filter`, entry, text: filter });
      }
      if (entry.error !== undefined) {
        nodes.push({ kind: 'message', id: `q${entry.seq}/error`, entry, text: entry.error, error: true });
      } else if (entry.run && entry.run.hits.length === 0) {
        nodes.push({ kind: 'message', id: `q${entry.seq}/empty`, entry, text: filter ? 'No records match the filter.' : 'The collection has no records.', error: false });
      }
      for (const hit of entry.run?.hits ?? []) {
        const model = hitModel(entry, hit, entry.status.get(hit.rank));
        nodes.push({ kind: 'hit', id: model.id, entry, model });
      }
      this.children.set(entry.seq, nodes);
    }
    return nodes;
  }

  getChildren(node?: ResultsNode): ResultsNode[] {
    if (!node) {
      if (this.entries.length === 1) {
        return [this.headerOf(this.entries[0]), ...this.childrenOf(this.entries[0])];
      }
      return this.entries.map((e) => this.headerOf(e));
    }
    return node.kind === 'header' && this.entries.length > 1 ? this.childrenOf(node.entry) : [];
  }

  getParent(node: ResultsNode): ResultsNode | undefined {
    return node.kind === 'header' || this.entries.length <= 1 ? undefined : this.headerOf(node.entry);
  }

  /** The hit items shown (in order), for commands that act on them all. */
  hitNodes(): HitNode[] {
    return this.entries.flatMap((e) => this.childrenOf(e)).filter((n): n is HitNode => n.kind === 'hit');
  }

  getTreeItem(node: ResultsNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'header': {
        const item = new vscode.TreeItem(node.model.label, this.entries.length > 1 ? C.Expanded : C.None);
        item.description = node.model.description;
        const kind = node.entry.spec.input.kind;
        item.iconPath = new vscode.ThemeIcon(node.entry.error !== undefined ? 'error' : kind === 'record' ? 'references' : kind === 'vector' ? 'symbol-array' : 'search');
        item.contextValue = ResultsContextValues.header;
        item.id = node.id;
        return item;
      }
      case 'filter': {
        const item = new vscode.TreeItem(displayLine(`Filter: ${node.text}`, 200), C.None);
        item.iconPath = new vscode.ThemeIcon('filter');
        item.tooltip = displayLine(node.text, 2_000);
        item.contextValue = ResultsContextValues.filter;
        item.command = { command: Commands.filterResults, title: 'Filter…', arguments: [node] };
        item.id = node.id;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(displayLine(node.text, 300) || ' ', C.None);
        item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info');
        item.tooltip = displayLine(node.text, 1_000);
        item.contextValue = ResultsContextValues.message;
        item.id = node.id;
        return item;
      }
      case 'hit': {
        const m = node.model;
        const item = new vscode.TreeItem(m.label, C.None);
        item.description = m.description;
        const state = m.status?.state;
        item.iconPath =
          state === 'stale' || state === 'missing'
            ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
            : new vscode.ThemeIcon(m.link ? 'go-to-file' : 'symbol-string');
        const goes = m.link && state !== 'missing';
        item.contextValue = m.link ? ResultsContextValues.hitWithSource : ResultsContextValues.hit;
        item.command = goes
          ? { command: Commands.goToSource, title: 'Go to Source', arguments: [node] }
          : { command: Commands.openResultRecord, title: 'Open Record', arguments: [node] };
        item.id = node.id;
        return item;
      }
    }
  }

  resolveTreeItem(item: vscode.TreeItem, node: ResultsNode): vscode.TreeItem {
    if (node.kind === 'hit') {
      item.tooltip = markdown(hitTooltip(node.model));
    } else if (node.kind === 'header') {
      item.tooltip = markdown(headerTooltip(node.entry));
    }
    return item;
  }

  dispose(): void {
    clearTimeout(this.recheck);
    this.subscriptions.forEach((s) => s.dispose());
  }
}
