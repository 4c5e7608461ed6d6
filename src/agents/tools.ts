/**
 * The agent tools as VS Code language-model tools: `prepareInvocation` checks the input and, for a tool that
 * changes data, returns the confirmation that names the connection, collection and change (VS Code shows it and
 * runs nothing unless the person agrees); `invoke` runs the tool, its answer bounded by chroma.agents.maxResultChars.
 * Reads need no confirmation. Cancellation reaches the server calls.
 */
import * as vscode from 'vscode';
import type { Confirmation } from './core/confirm';
import type { ToolContext } from './core/context';
import { prepareTool, runTool } from './core/runner';
import type { RunOptions } from './core/runner';
import type { CollectionCache } from './core/shared';

export interface ToolHost {
  context: ToolContext;
  /** chroma.agents.maxResultChars, read at each call. */
  maxResultChars: () => number;
}

type Input = Record<string, unknown>;

/** An AbortSignal that follows a CancellationToken, and its listener to dispose. */
export function signalOf(token: vscode.CancellationToken | undefined): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  if (token?.isCancellationRequested) {
    ac.abort();
  }
  const listener = token?.onCancellationRequested(() => ac.abort());
  return { signal: ac.signal, dispose: () => listener?.dispose() };
}

/** A confirmation as VS Code shows it: the question, then what more there is to say, as plain text. */
export function confirmationMessages(c: Confirmation): vscode.LanguageModelToolConfirmationMessages {
  const message = new vscode.MarkdownString();
  message.appendText(c.message);
  if (c.detail) {
    message.appendMarkdown('\n\n');
    message.appendText(c.detail);
  }
  return { title: c.title, message };
}

/** One language-model tool over the catalogue's tool `name`. */
export function languageModelTool(name: string, host: ToolHost, collections: CollectionCache): vscode.LanguageModelTool<Input> {
  const options = (signal: AbortSignal): RunOptions => ({ signal, maxResultChars: host.maxResultChars(), collections });
  return {
    async prepareInvocation(o, token) {
      const s = signalOf(token);
      try {
        const prepared = await prepareTool(host.context, name, o.input, options(s.signal));
        if (!prepared.ok) {
          // invoke answers the problem in one line; nothing is asked for a call that cannot run
          return { invocationMessage: prepared.answer.text };
        }
        return {
          invocationMessage: prepared.invocation,
          confirmationMessages: prepared.confirmation ? confirmationMessages(prepared.confirmation) : undefined,
        };
      } finally {
        s.dispose();
      }
    },
    async invoke(o, token) {
      const s = signalOf(token);
      try {
        const answer = await runTool(host.context, name, o.input, options(s.signal));
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answer.text)]);
      } finally {
        s.dispose();
      }
    },
  };
}
