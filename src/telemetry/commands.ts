import * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import type { InfoDocuments } from '../platform/infoDocuments';
import { showMarkdownPage } from '../platform/infoDocuments';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import { turnOffInEnv } from './core/envFile';
import { COMPOSE_GLOB } from './core/files';
import { telemetryFactsMarkdown } from './core/facts';

/** The compose editing needs the yaml library: it loads on first use, never at activation. */
const compose = () => import('./core/compose.js');

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


/** Chroma's telemetry: the facts page, a compose service with it off, and the one-click fix the CodeLens offers. */
export function registerTelemetryCommands(log: Logger, pages: InfoDocuments): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.showTelemetry, async () => {
      const uri = pages.page('/telemetry.md', telemetryFactsMarkdown);
      await showMarkdownPage(uri);
      return uri.toString();
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
      const edit = (await compose()).addChromaService(existing);
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
      log.info(`${message}`);
      void vscode.window.showInformationMessage(message);
      return edit;
    }),
    registerCommand(log, Commands.turnOffTelemetry, async (uri: vscode.Uri, service?: string) => {
      const doc = await vscode.workspace.openTextDocument(uri);
      const text = service ? (await compose()).turnOffTelemetry(doc.getText(), service) : turnOffInEnv(doc.getText());
      await replaceText(uri, text);
      return true;
    }),
  ];
}
