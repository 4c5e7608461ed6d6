/**
 * Embedding inside a tool: with the collection's own function, as the host resolves it without prompting, and
 * checked against the collection's dimension. What only the person can settle (allowing a key, entering one,
 * choosing a function, downloading the model) becomes a `needs-*` AgentError that says what to do in VS Code.
 * No `vscode` here.
 */
import type { Collection } from '../../chroma/types';
import type { AskApproval } from '../../embedding/core/approvals';
import { checkDimension, EmbeddingError } from '../../embedding/core/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import { displayLine } from '../../util/text';
import { AgentError } from './context';
import type { ConnectionHandle, ToolContext } from './context';

/** For EmbeddingApprovals in a tool: an approval the person has not given is refused, never asked for. */
export const refuseToAsk: AskApproval = () => Promise.resolve(false);

/** The embedding problem as what the person must do, or undefined when it is not one of those. */
export function embeddingNeed(e: unknown, collection: string): AgentError | undefined {
  if (!(e instanceof EmbeddingError)) {
    return undefined;
  }
  const name = JSON.stringify(displayLine(collection, 80));
  const why = displayLine(e.message, 240);
  switch (e.code) {
    case 'not-allowed':
      return new AgentError(
        'needs-approval',
        `Embedding for ${name} needs the person's approval, which a tool never gives (${why}). Ask them to run "Chroma: Query Collection…" on ${name} in VS Code and choose Allow, then try again.`,
      );
    case 'missing-key':
      return new AgentError(
        'needs-key',
        `Embedding for ${name} needs an API key that a tool cannot ask for (${why}). Ask the person to set it in VS Code's environment, or to run "Chroma: Query Collection…" on ${name} once and enter it.`,
      );
    case 'needs-choice':
      return new AgentError(
        'needs-choice',
        `${name} stores no embedding function, so text cannot be embedded for it. Ask the person to choose one with "Chroma: Choose Embedding Function…" in VS Code, then try again.`,
      );
    case 'model-download':
      return new AgentError(
        'needs-model',
        `Chroma's default embedding model is not on this machine yet (${why}). Ask the person to run "Chroma: Download Default Embedding Model" in VS Code, then try again.`,
      );
    default:
      return undefined;
  }
}

/** The collection's function from the host; its `needs-*` problems as AgentErrors. */
export async function functionFor(ctx: ToolContext, at: ConnectionHandle, collection: Collection, signal: AbortSignal): Promise<EmbeddingFunction> {
  try {
    return await ctx.embeddingFunction(at, collection, signal);
  } catch (e) {
    throw embeddingNeed(e, collection.name) ?? e;
  }
}

/** Embeds texts for `collection`, checked against its dimension. */
export async function embedTexts(
  ctx: ToolContext,
  at: ConnectionHandle,
  collection: Collection,
  texts: readonly string[],
  signal: AbortSignal,
): Promise<{ vectors: number[][]; functionName: string }> {
  const fn = await functionFor(ctx, at, collection, signal);
  let vectors: number[][];
  try {
    vectors = await fn.embed(texts, { signal });
  } catch (e) {
    throw embeddingNeed(e, collection.name) ?? e;
  }
  if (vectors.length !== texts.length) {
    throw new AgentError('failed', `The ${fn.name} embedding function gave ${vectors.length} vectors for ${texts.length} texts: nothing was sent to Chroma.`);
  }
  checkDimension(vectors, collection.dimension, fn.name);
  return { vectors, functionName: fn.name };
}
