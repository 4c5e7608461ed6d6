/**
 * The hover over a record file's `$embedding` note: the note itself is one short line ("384-d · default function"),
 * the hover says what makes the embedding and when it changes.
 */
import * as vscode from 'vscode';
import { escapeMarkdown } from '../util/text';
import { RECORD_SCHEME } from './core/address';
import { recordCode } from './lazyRecordCode';
import type { RecordFiles } from './fileSystem';

const NOTE_LINE = /^(\s*)"\$embedding"\s*:/;

export function registerEmbeddingHover(files: RecordFiles): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { scheme: RECORD_SCHEME },
    {
      provideHover(doc, position) {
        const line = doc.lineAt(position.line);
        const m = NOTE_LINE.exec(line.text);
        const fn = m ? files.functionLabelOf(doc.uri) : undefined;
        if (!m || fn === undefined) {
          return undefined;
        }
        // escaped: the function's name comes from the server
        const text = new vscode.MarkdownString(escapeMarkdown(recordCode().embeddingHoverText(fn)));
        return new vscode.Hover(text, new vscode.Range(position.line, m[1].length, position.line, line.text.length));
      },
    },
  );
}
