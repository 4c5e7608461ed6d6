/**
 * Playground files (`*.chroma.json`): a query, or a list of them, against a named connection and collection, kept
 * in a repo so that retrieval checks travel with the code. This folder reads a file's text into the QuerySpecs it
 * asks for, each with the span it came from, or into problems with the exact span to underline (`parse.ts`,
 * `reader.ts`); writes a starting file (`starter.ts`); and says what to complete at a position
 * (`completionSite.ts`). No `vscode` here. The VS Code layer loads it on first use (`query/playground/catalog.ts`).
 */
export { parsePlayground } from './parse';
export { starterPlayground } from './starter';
export type { Starter } from './starter';
export { completionSite } from './completionSite';
export type { CompletionSite } from './completionSite';
export { INCLUDE_VALUES, PLAYGROUND_GLOB, QUERY_KEYS } from './types';
export type { PlaygroundConnection, PlaygroundContext, PlaygroundFile, PlaygroundProblem, PlaygroundQuery, Span } from './types';
