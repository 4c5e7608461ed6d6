/**
 * Completions in playground files: connection names, the collection names of the query's connection and database,
 * and, inside `where`, the metadata keys sampled from the collection with their kinds. The JSON schema completes
 * the rest (keys, operators, include values).
 */
import * as vscode from 'vscode';
import type { Scope } from '../../chroma';
import { displayLine } from '../../util/text';
import type { CompletionSite } from '../core/playground';
import { kindLabel } from '../../filter/core/metadataKeys';
import type { MetadataKey } from '../../filter/core/metadataKeys';
import { loadPlaygroundCore } from './catalog';
import type { PlaygroundCatalog } from './catalog';

/** Where a file's completion list opens: playground files by default; evaluation sets pass their own. */
export type SiteOf = (doc: vscode.TextDocument, offset: number) => Promise<CompletionSite | undefined>;

const playgroundSite: SiteOf = async (doc, offset) => (await loadPlaygroundCore()).completionSite(doc.getText(), offset);

export class PlaygroundCompletion implements vscode.CompletionItemProvider {
  constructor(
    private readonly catalog: PlaygroundCatalog,
    private readonly siteOf: SiteOf = playgroundSite,
  ) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionList | undefined> {
    const site = await this.siteOf(doc, doc.offsetAt(position));
    if (!site) {
      return undefined;
    }
    const range = new vscode.Range(doc.positionAt(site.replace.start), doc.positionAt(site.replace.end));
    // VS Code shows items whose range holds the position, on one line
    if (!range.contains(position) || !range.isSingleLine) {
      return undefined;
    }
    const items = await this.items(site, range).catch((): vscode.CompletionItem[] => []);
    return items.length > 0 ? new vscode.CompletionList(items, false) : undefined;
  }

  private async items(site: CompletionSite, range: vscode.Range): Promise<vscode.CompletionItem[]> {
    if (site.kind === 'connection') {
      return this.catalog.connections().map((c, i) =>
        this.item(c.name, vscode.CompletionItemKind.Module, range, { detail: c.url, sortText: String(i).padStart(4, '0') }),
      );
    }
    const conn = this.catalog.connection(site.connection);
    if (!conn) {
      return [];
    }
    const base = await this.catalog.scopeOf(conn.name).catch(() => undefined);
    const scope: Scope | undefined =
      (site.tenant ?? base?.tenant) && (site.database ?? base?.database)
        ? { tenant: (site.tenant ?? base?.tenant)!, database: (site.database ?? base?.database)! }
        : undefined;
    if (!scope) {
      return [];
    }
    if (site.kind === 'collection') {
      const names = await this.catalog.collectionNames(conn.name, scope);
      return names.map((n) => this.item(n, vscode.CompletionItemKind.Folder, range, { detail: `${conn.name} · ${scope.tenant}/${scope.database}` }));
    }
    const keys = await this.catalog.metadataKeys(conn.name, scope, site.collection);
    return keys.map((k, i) => this.keyItem(k, i, range, site.needsColon));
  }

  private item(name: string, kind: vscode.CompletionItemKind, range: vscode.Range, extra: { detail?: string; sortText?: string }): vscode.CompletionItem {
    const text = JSON.stringify(name);
    const item = new vscode.CompletionItem({ label: name, description: extra.detail }, kind);
    item.insertText = text;
    // typed text starts with the quote: filter on the quoted name
    item.filterText = text;
    item.range = range;
    item.sortText = extra.sortText;
    return item;
  }

  private keyItem(k: MetadataKey, rank: number, range: vscode.Range, needsColon: boolean): vscode.CompletionItem {
    const kinds = k.kinds.map(kindLabel).join(' or ');
    const item = new vscode.CompletionItem({ label: k.key, description: kinds }, vscode.CompletionItemKind.Field);
    const quoted = JSON.stringify(k.key);
    item.insertText = needsColon ? new vscode.SnippetString().appendText(`${quoted}: `).appendTabstop(0) : quoted;
    item.filterText = quoted;
    item.range = range;
    // most common keys first, before the schema's operators
    item.sortText = `0${String(rank).padStart(4, '0')}`;
    item.detail = `metadata key: ${kinds}`;
    const doc = new vscode.MarkdownString();
    doc.appendText(`In ${k.count} of the sampled records.`);
    if (k.examples.length > 0) {
      doc.appendText(` Values like ${k.examples.map((e) => displayLine(JSON.stringify(e), 60)).join(', ')}.`);
    }
    item.documentation = doc;
    return item;
  }
}
