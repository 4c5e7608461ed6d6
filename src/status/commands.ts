import * as vscode from 'vscode';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import type { HeartbeatMonitor } from '../health/monitor';
import { describeError } from '../chroma/errors';
import { Commands } from '../commands/ids';
import { registerCommand } from '../commands/register';
import { addChromaService, turnOffTelemetry } from '../telemetry/compose';
import { turnOffInEnv } from '../telemetry/envFile';
import { telemetryFactsMarkdown } from '../telemetry/facts';
import { boundedJson, codeFence, codeLine, markdownLine } from '../common/text';
import type { Log } from '../ui/log';
import { pickStep } from '../ui/quickInput';
import type { InfoDocuments } from './infoDocuments';
import { showMarkdownPage } from './infoDocuments';

const COMPOSE_GLOB = '**/{docker-compose,compose}*.{yml,yaml}';

/** The first names of a list as code spans, and how many more there are. */
function listLine(names: readonly unknown[], shown = 20): string {
  const out: string[] = [];
  for (let i = 0; i < names.length && i < shown; i++) {
    out.push(codeLine(String(names[i]), 100));
  }
  return names.length > shown ? `${out.join(', ')} and ${names.length - shown} more` : out.join(', ');
}

/** Replaces a file's whole text through a WorkspaceEdit (undoable; saved when it was not dirty). */
async function replaceText(uri: vscode.Uri, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const wasDirty = doc.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) {
    throw new Error(`Could not edit ${vscode.workspace.asRelativePath(uri)}.`);
  }
  if (!wasDirty) {
    await doc.save();
  }
}

export function registerStatusCommands(
  log: Log,
  store: ConnectionStore,
  clients: ClientCache,
  monitor: HeartbeatMonitor,
  pages: InfoDocuments,
): vscode.Disposable[] {
  const telemetryPage = () => pages.page('/telemetry.md', telemetryFactsMarkdown);

  // Every value from the server is escaped or fenced, and lists are cut: a page of server text, not server Markdown.
  const serverInfo = async (): Promise<string> => {
    const conn = store.active;
    if (!conn) {
      return '# No connection\n\nAdd a connection first.\n';
    }
    const client = await clients.clientFor(conn);
    const lines = [`# ${markdownLine(conn.name, 200)}`, '', `- URL: ${codeLine(conn.url, 300)}`];
    try {
      const [version, pre, scope] = await Promise.all([client.version(), client.preflight({ refresh: true }), client.scope()]);
      const identity = await client.identity().catch(() => undefined);
      const collections = await client.countCollections({ scope }).catch(() => undefined);
      const text = (v: unknown, max = 200) => markdownLine(String(v), max);
      const databases = identity && Array.isArray(identity.databases) ? listLine(identity.databases) : '';
      lines.push(
        `- version: ${text(version, 60)}`,
        `- tenant / database: ${codeLine(scope.tenant, 200)} / ${codeLine(scope.database, 200)}`,
        `- identity: ${identity ? `user ${identity.user_id ? codeLine(String(identity.user_id), 200) : '(anonymous)'}, tenant ${codeLine(String(identity.tenant), 200)}, databases ${databases || '(none)'}` : 'not available'}`,
        `- collections in ${codeLine(scope.database, 200)}: ${collections === undefined ? 'unknown' : text(collections, 40)}`,
        '',
        '## Pre-flight checks',
        '',
        codeFence(boundedJson(pre, 4_000).text, 'json'),
      );
    } catch (e) {
      lines.push('', `Could not read the server: ${markdownLine(describeError(e), 1_000)}`);
    }
    lines.push('', '## Telemetry', '', 'Configured on the server, not by any client: see **Chroma: Server Telemetry…**.', '');
    return lines.join('\n');
  };

  return [
    registerCommand(log, Commands.checkNow, () => monitor.checkNow()),
    registerCommand(log, Commands.switchConnection, async () => {
      const all = store.list();
      if (all.length === 0) {
        return vscode.commands.executeCommand(Commands.addConnection);
      }
      const active = store.active?.name;
      const items = all.map((c) => ({ label: c.name, description: c.url, detail: c.name === active ? 'active' : undefined }));
      const pick = await pickStep(
        { title: 'Switch active connection' },
        { items, active: items.find((i) => i.label === active), placeholder: 'Which connection should the status bar follow?' },
      );
      if (pick && typeof pick === 'object') {
        await store.setActive(pick.label);
        return monitor.checkNow();
      }
      return undefined;
    }),
    registerCommand(log, Commands.showTelemetry, async () => {
      const uri = telemetryPage();
      await showMarkdownPage(uri);
      return uri.toString();
    }),
    registerCommand(log, Commands.showServerInfo, async () => {
      const uri = pages.page(`/server-${encodeURIComponent(store.active?.name ?? 'none')}.md`, serverInfo);
      await showMarkdownPage(uri);
      return uri.toString();
    }),
    registerCommand(log, Commands.statusMenu, async () => {
      const items: Array<vscode.QuickPickItem & { run: string }> = [
        { label: '$(arrow-swap) Switch active connection…', run: Commands.switchConnection },
        { label: '$(pulse) Check now', run: Commands.checkNow },
        { label: '$(info) Show server info', run: Commands.showServerInfo },
        { label: '$(shield) Telemetry facts', description: 'configured on the server, never by a client', run: Commands.showTelemetry },
      ];
      const pick = await pickStep({ title: `Chroma${store.active ? `: ${store.active.name}` : ''}` }, { items });
      return pick && typeof pick === 'object' ? vscode.commands.executeCommand(pick.run) : undefined;
    }),
    registerCommand(log, Commands.addComposeService, async (target?: vscode.Uri) => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!target && !folder) {
        throw new Error('Open a folder first: the compose file is written into the workspace.');
      }
      let uri = target;
      if (!uri) {
        const found = await vscode.workspace.findFiles(COMPOSE_GLOB, '**/node_modules/**', 20);
        if (found.length === 1) {
          uri = found[0];
        } else if (found.length > 1) {
          const pick = await vscode.window.showQuickPick(
            found.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
            { placeHolder: 'Which compose file gets the Chroma service?' },
          );
          if (!pick) {
            return undefined;
          }
          uri = pick.uri;
        } else {
          uri = vscode.Uri.joinPath(folder!.uri, 'docker-compose.yml');
        }
      }
      let existing: string | undefined;
      try {
        existing = (await vscode.workspace.openTextDocument(uri)).getText();
      } catch {
        existing = undefined;
      }
      const edit = addChromaService(existing);
      if (existing === undefined) {
        await vscode.workspace.fs.writeFile(uri, Buffer.from(edit.text, 'utf8'));
      } else if (edit.action !== 'unchanged') {
        await replaceText(uri, edit.text);
      }
      const where = vscode.workspace.asRelativePath(uri);
      const message = {
        added: `Added the Chroma service "${edit.service}" to ${where}, with telemetry off and data in ./chroma-data.`,
        fixed: `Turned Chroma's telemetry off in service "${edit.service}" of ${where}.`,
        unchanged: `${where} already has the Chroma service "${edit.service}" with telemetry off.`,
      }[edit.action];
      log.info(`[compose] ${message}`);
      void vscode.window.showInformationMessage(message);
      return edit;
    }),
    registerCommand(log, Commands.turnOffTelemetry, async (uri: vscode.Uri, service?: string) => {
      const doc = await vscode.workspace.openTextDocument(uri);
      const text = service ? turnOffTelemetry(doc.getText(), service) : turnOffInEnv(doc.getText());
      await replaceText(uri, text);
      return true;
    }),
  ];
}
