/**
 * Playground files (`*.chroma.json`): queries kept in a repo, run from a CodeLens into the results view, checked as
 * they are typed, with completions of connection, collection and metadata key names. Their JSON schema
 * (media/schemas/chroma-playground.schema.json) comes through package.json's `jsonValidation`.
 */
import * as vscode from 'vscode';
import type { Target } from '../../connections/core/target';
import type { Logger } from '../../platform/log';
import { setting } from '../../platform/settings';
import { PlaygroundCatalog } from './catalog';
import type { CatalogDeps } from './catalog';
import { PlaygroundCompletion } from './completion';
import { PlaygroundDiagnostics } from './diagnostics';
import { PlaygroundLens } from './lens';
import { registerNewPlayground } from './new';

const PATTERN = '**/*.chroma.json';
/** Saved and untitled playground files, in JSON or JSON with comments. */
export const PLAYGROUND_SELECTOR: vscode.DocumentSelector = ['file', 'untitled'].flatMap((scheme) =>
  ['json', 'jsonc'].map((language) => ({ scheme, language, pattern: PATTERN })),
);

export interface PlaygroundDeps extends Omit<CatalogDeps, 'nResults'> {
  /** The collection a command is about: the tree node it was run on, else one the user picks. */
  target: (arg: unknown, title: string) => Promise<Target | undefined>;
}

export function registerPlayground(log: Logger, deps: PlaygroundDeps): vscode.Disposable[] {
  const catalog = new PlaygroundCatalog({ ...deps, nResults: () => setting('chroma.query.nResults') }, log);
  const lens = new PlaygroundLens(catalog, deps.onConnectionsChanged);
  return [
    catalog,
    lens,
    vscode.languages.registerCodeLensProvider(PLAYGROUND_SELECTOR, lens),
    vscode.languages.registerCompletionItemProvider(PLAYGROUND_SELECTOR, new PlaygroundCompletion(catalog), '"'),
    new PlaygroundDiagnostics(catalog, deps.onConnectionsChanged, log),
    registerNewPlayground(log, catalog, deps.target),
  ];
}
