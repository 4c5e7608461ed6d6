/**
 * The two calls both hosts make: `prepareTool` (the input checked, and for a write the question to ask the person)
 * and `runTool` (the input checked again, the tool run, its answer bounded). Every failure becomes one line; a
 * cancelled call says so. The language-model tools call prepareTool from prepareInvocation and runTool from invoke;
 * the MCP server calls both, asking the person in between. No `vscode` here.
 */
import { ChromaError, describeError } from '../../chroma/errors';
import { oneLine } from '../../chroma/sanitize';
import { EmbeddingError } from '../../embedding/core/types';
import { toolSpec } from './catalogue';
import type { ToolName, ToolSpec } from './catalogue';
import { invocationMessage } from './confirm';
import type { Confirmation } from './confirm';
import { AgentError } from './context';
import type { AgentErrorKind, ToolContext } from './context';
import type { CollectionCache } from './shared';
import { bounded, resultBudget } from './format';
import { checkInput } from './input';
import type { ToolImpl, ToolRun } from './tools/common';
import { collectionCount, collectionInfo, createCollection, deleteCollection, forkCollection, listCollections, modifyCollection, peekCollection } from './tools/collections';
import { addDocuments, deleteDocuments, getDocuments, queryDocuments, updateDocuments } from './tools/records';
import { addWorkspaceFiles, searchWorkspace, showResults } from './tools/workspace';

const IMPLS: Record<ToolName, ToolImpl<never>> = {
  chroma_list_collections: listCollections,
  chroma_get_collection_info: collectionInfo,
  chroma_get_collection_count: collectionCount,
  chroma_peek_collection: peekCollection,
  chroma_create_collection: createCollection,
  chroma_modify_collection: modifyCollection,
  chroma_fork_collection: forkCollection,
  chroma_delete_collection: deleteCollection,
  chroma_add_documents: addDocuments,
  chroma_query_documents: queryDocuments,
  chroma_get_documents: getDocuments,
  chroma_update_documents: updateDocuments,
  chroma_delete_documents: deleteDocuments,
  chroma_search_workspace: searchWorkspace,
  chroma_add_workspace_files: addWorkspaceFiles,
  chroma_show_results: showResults,
};

export interface RunOptions {
  signal?: AbortSignal;
  /** chroma.agents.maxResultChars: the answer is at most this long (default 8,000). */
  maxResultChars?: number;
  /**
   * Collections looked up in the last seconds, kept by the host across calls (one per host: `new CollectionCache()`),
   * so a burst of queries does not look the collection up before each; a stale one is looked up again.
   */
  collections?: CollectionCache;
}

export interface ToolAnswer {
  text: string;
  isError: boolean;
  /** Why it failed, when it did. */
  kind?: AgentErrorKind;
}

export type Prepared =
  | { ok: true; spec: ToolSpec; input: Record<string, unknown>; invocation: string; confirmation?: Confirmation }
  | { ok: false; answer: ToolAnswer };

/** A failure as one line, and its kind. */
export function toolProblem(e: unknown, signal?: AbortSignal): ToolAnswer {
  if (signal?.aborted || (e instanceof ChromaError && e.code === 'aborted')) {
    return { text: 'Cancelled: the call stopped; anything it had finished stays done.', isError: true, kind: 'cancelled' };
  }
  if (e instanceof AgentError) {
    return { text: oneLine(e.message, 600), isError: true, kind: e.kind };
  }
  if (e instanceof ChromaError) {
    const kind: AgentErrorKind = e.code === 'invalid-argument' ? 'bad-input' : e.code === 'not-found' ? 'not-found' : e.code === 'unsupported' ? 'unsupported' : 'failed';
    return { text: oneLine(e.message, 600), isError: true, kind };
  }
  if (e instanceof EmbeddingError) {
    return { text: oneLine(e.message, 600), isError: true, kind: 'failed' };
  }
  return { text: oneLine(`The tool failed: ${describeError(e)}`, 600), isError: true, kind: 'failed' };
}

function unknownTool(name: string): ToolAnswer {
  return { text: oneLine(`There is no tool named ${JSON.stringify(name)}.`, 200), isError: true, kind: 'bad-input' };
}

async function toolRun(ctx: ToolContext, input: Record<string, unknown>, signal: AbortSignal, opts: RunOptions): Promise<ToolRun> {
  const at = await ctx.clientFor(input.connection as string | undefined, input.database as string | undefined, signal);
  return { ctx, at, signal, budget: resultBudget(opts.maxResultChars), collections: opts.collections };
}

/**
 * Checks the input and, for a tool that writes, reads what the question to the person says (how many records, which
 * of the ids exist). Reads nothing for a tool that only reads.
 */
export async function prepareTool(ctx: ToolContext, name: string, raw: unknown, opts: RunOptions = {}): Promise<Prepared> {
  const spec = toolSpec(name);
  if (!spec) {
    return { ok: false, answer: unknownTool(name) };
  }
  const signal = opts.signal ?? new AbortController().signal;
  try {
    const input = checkInput(spec, raw);
    const impl = IMPLS[spec.name] as ToolImpl<Record<string, unknown>>;
    const invocation = invocationMessage(spec.name, input);
    if (!spec.writes || !impl.prepare) {
      return { ok: true, spec, input, invocation };
    }
    const confirmation = await impl.prepare(input, await toolRun(ctx, input, signal, opts));
    return { ok: true, spec, input, invocation, confirmation };
  } catch (e) {
    return { ok: false, answer: toolProblem(e, signal) };
  }
}

/** Runs a tool: the input checked (again), the work done, the answer bounded by maxResultChars. Never throws. */
export async function runTool(ctx: ToolContext, name: string, raw: unknown, opts: RunOptions = {}): Promise<ToolAnswer> {
  const spec = toolSpec(name);
  if (!spec) {
    return unknownTool(name);
  }
  const signal = opts.signal ?? new AbortController().signal;
  try {
    const input = checkInput(spec, raw);
    const r = await toolRun(ctx, input, signal, opts);
    let text: string;
    try {
      text = await (IMPLS[spec.name] as ToolImpl<Record<string, unknown>>).run(input, r);
    } finally {
      if (spec.writes) {
        // a collection renamed, deleted or re-created is looked up afresh
        opts.collections?.clear();
      }
    }
    if (signal.aborted) {
      return toolProblem(undefined, signal);
    }
    return { text: bounded(text, r.budget), isError: false };
  } catch (e) {
    return toolProblem(e, signal);
  }
}
