/**
 * Add to Evaluation Set… on a hit of the Chroma Results view (or, from the palette, on the query shown there): the
 * query and the hits the person marks as right become a case of a chosen set (or of a new one, aimed at the
 * query's collection). The file keeps its comments and formatting (the core's addCaseText).
 */
import * as vscode from 'vscode';
import { displayLine } from '../util/text';
import { addCaseText, formatSet } from './core/writeSet';
import type { CaseFile } from './core/writeSet';
import type { EvalDeps, ShownQuery } from './deps';
import { findSets, setText } from './setFiles';

const TITLE = 'Add to Evaluation Set';

function caseOf(q: ShownQuery, ids: string[]): CaseFile {
  const input = q.spec.input;
  const query: CaseFile['query'] = input.kind === 'text' ? input.text : input.kind === 'record' ? { record: input.recordId } : { vector: input.vector };
  return { query, expect: { ids }, ...(q.spec.where ? { where: q.spec.where } : {}) };
}

async function askRight(q: ShownQuery): Promise<string[] | undefined> {
  const items = q.hits.map((h, i) => ({ label: h.id, description: `rank ${i + 1}`, detail: h.text ? displayLine(h.text, 120) : undefined, picked: h.id === q.picked }));
  const chosen = await vscode.window.showQuickPick(items, { title: `${TITLE}: which hits are right`, canPickMany: true, placeHolder: 'Mark the records this query should find' });
  return chosen && chosen.length > 0 ? chosen.map((c) => c.label) : undefined;
}

/** An existing set, or a new file's URI (with `fresh`). */
async function askSet(q: ShownQuery): Promise<{ uri: vscode.Uri; fresh: boolean } | undefined> {
  const sets = await findSets();
  const NEW = { label: '$(new-file) New evaluation set…', uri: undefined as vscode.Uri | undefined };
  const items = [...sets.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), NEW];
  const pick = await vscode.window.showQuickPick(items, { title: `${TITLE}: which set` });
  if (!pick) {
    return undefined;
  }
  if (pick.uri) {
    return { uri: pick.uri, fresh: false };
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    throw new Error('Evaluation sets are files in a workspace: open a folder first, then add the case again.');
  }
  const name = await vscode.window.showInputBox({ title: `${TITLE}: new file`, value: `${q.spec.collection.replace(/[^A-Za-z0-9._-]+/g, '-')}.chroma-eval.json` });
  if (!name?.trim() || name.includes('..')) {
    return undefined;
  }
  const file = /\.chroma-eval\.jsonl?$/i.test(name.trim()) ? name.trim() : `${name.trim()}.chroma-eval.json`;
  return { uri: vscode.Uri.joinPath(folder, ...file.split(/[/\\]+/).filter(Boolean)), fresh: true };
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!open) {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
  await vscode.workspace.applyEdit(edit);
  await open.save();
}

/** What a caller (another command, a test) may answer in advance: the right hits' ids and the set's file. */
export interface AddCaseAnswers {
  ids?: string[];
  set?: vscode.Uri;
}

export async function addCaseCommand(deps: Pick<EvalDeps, 'shownQuery'>, arg: unknown, answers: AddCaseAnswers = {}): Promise<vscode.Uri | undefined> {
  const q = deps.shownQuery(arg);
  if (!q || q.hits.length === 0) {
    throw new Error('There is no query with hits in the Chroma Results view: run a query, then use Add to Evaluation Set… on a hit that is right.');
  }
  const ids = answers.ids ?? (await askRight(q));
  const where = ids && (answers.set ? { uri: answers.set, fresh: !(await exists(answers.set)) } : await askSet(q));
  if (!ids || !where) {
    return undefined;
  }
  const format = /\.jsonl$/i.test(where.uri.path) ? 'jsonl' : 'json';
  const c = caseOf(q, ids);
  let text: string | undefined;
  if (where.fresh) {
    const { connection, tenant, database, collection } = q.spec;
    text = formatSet({ target: { connection, tenant, database, collection, k: 10 }, cases: [c] }, format);
  } else {
    text = addCaseText(await setText(where.uri), format, c);
    if (text === undefined) {
      throw new Error(`${vscode.workspace.asRelativePath(where.uri)} is not an evaluation set the case can be added to: fix its JSON (the Problems view says where), then add the case again.`);
    }
  }
  await writeText(where.uri, text);
  void vscode.window.showInformationMessage(`Added a case expecting ${ids.length} record${ids.length === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(where.uri)}.`);
  return where.uri;
}
