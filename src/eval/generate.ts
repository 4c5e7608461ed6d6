/**
 * Chroma: Generate Evaluation Set…: a collection (the tree node, else picked), a size and a file name, then a set
 * made from the collection's own records (the core's generateSet), written into the workspace and opened. When a
 * chat model is available through `vscode.lm`, it offers to have it write natural questions instead.
 */
import * as vscode from 'vscode';
import { quote } from '../chroma/sanitize';
import type { Target } from '../connections/core/target';
import { DEFAULT_SIZE, generateSet, MAX_SIZE } from './core/generate';
import type { GenerateOptions } from './core/generate';
import { formatSet } from './core/writeSet';
import type { TargetFile } from './core/writeSet';
import type { EvalDeps } from './deps';

const TITLE = 'Generate Evaluation Set';

function folderOrThrow(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    throw new Error('Evaluation sets are files in a workspace: open a folder first, then generate the set again.');
  }
  return folder;
}

async function askSize(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: `${TITLE}: how many cases`,
    value: String(DEFAULT_SIZE),
    prompt: `Records to sample (1 to ${MAX_SIZE.toLocaleString('en-US')}); each gives one case.`,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= MAX_SIZE ? undefined : `Type a whole number from 1 to ${MAX_SIZE}.`),
  });
  return text === undefined ? undefined : Number(text.trim());
}

/** The file to write: workspace-relative, ending in .chroma-eval.json or .jsonl (added when left out). */
async function askFile(folder: vscode.Uri, collection: string): Promise<vscode.Uri | undefined> {
  const base = collection.replace(/[^A-Za-z0-9._-]+/g, '-');
  const name = await vscode.window.showInputBox({
    title: `${TITLE}: file name`,
    value: `${base}.chroma-eval.json`,
    prompt: 'A path in the workspace; .chroma-eval.jsonl writes one case per line (for large sets).',
    validateInput: (v) => (!v.trim() ? 'Type a file name.' : v.includes('..') ? 'Use a path inside the workspace.' : undefined),
  });
  if (name === undefined) {
    return undefined;
  }
  const file = /\.chroma-eval\.jsonl?$/i.test(name.trim()) ? name.trim() : `${name.trim().replace(/\.jsonl?$/i, '')}.chroma-eval.json`;
  return vscode.Uri.joinPath(folder, ...file.split(/[/\\]+/).filter(Boolean));
}

/** A chat model's question writer, when one is available and the user wants it; undefined for spans of the text. */
async function askPhraser(): Promise<Pick<GenerateOptions, 'phrase' | 'phraser'> | undefined | 'cancel'> {
  const models = typeof vscode.lm?.selectChatModels === 'function' ? await Promise.resolve(vscode.lm.selectChatModels()).catch((): vscode.LanguageModelChat[] => []) : [];
  if (models.length === 0) {
    return undefined;
  }
  const model = models[0];
  const spans = { label: 'Queries from the records\' own text', detail: 'A sentence or span of each record: fast, deterministic for a seed.' };
  const lm = { label: `Questions written by ${model.name}`, detail: 'A natural question per record; each record\'s text is sent to the model.' };
  const pick = await vscode.window.showQuickPick([spans, lm], { title: `${TITLE}: queries` });
  if (!pick) {
    return 'cancel';
  }
  if (pick === spans) {
    return undefined;
  }
  const phrase = async (document: string, signal?: AbortSignal) => {
    const source = new vscode.CancellationTokenSource();
    signal?.addEventListener('abort', () => source.cancel());
    const prompt = `Write one short natural question that this passage answers. Reply with the question only.\n\n${document}`;
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], {}, source.token);
    let text = '';
    for await (const part of response.text) {
      text += part;
    }
    return text.trim().split('\n')[0]?.slice(0, 500);
  };
  return { phrase, phraser: model.name };
}

function targetFile(t: Target): TargetFile {
  return { connection: t.connection.name, tenant: t.collection.tenant, database: t.collection.database, collection: t.collection.name, k: 10 };
}

export async function generateCommand(deps: Pick<EvalDeps, 'target' | 'clientFor'>, arg: unknown): Promise<vscode.Uri | undefined> {
  const folder = folderOrThrow();
  const t = await deps.target(arg, TITLE);
  const size = t && (await askSize());
  const uri = t && size && (await askFile(folder, t.collection.name));
  if (!t || !size || !uri) {
    return undefined;
  }
  const phraser = await askPhraser();
  if (phraser === 'cancel') {
    return undefined;
  }
  const client = await deps.clientFor(t.connection);
  const generated = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Generating an evaluation set from ${t.collection.name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      return generateSet({
        client,
        collection: t.collection,
        target: targetFile(t),
        size,
        signal: abort.signal,
        ...phraser,
        onProgress: (done, total) => {
          progress.report({ increment: ((done - last) / total) * 100, message: `${done} of ${total}` });
          last = done;
        },
      });
    },
  );
  if (generated.cases === 0) {
    throw new Error(`${quote(t.collection.name)} has no records with text to make queries from: add documents first, or write the set by hand.`);
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(formatSet(generated.set, /\.jsonl$/i.test(uri.path) ? 'jsonl' : 'json')));
  await vscode.window.showTextDocument(uri, { preview: false });
  const skipped = generated.skipped > 0 ? ` (${generated.skipped} sampled records had no usable text)` : '';
  void vscode.window.showInformationMessage(`Wrote ${generated.cases} cases to ${vscode.workspace.asRelativePath(uri)}${skipped}. Run them from the Test Explorer.`);
  return uri;
}
