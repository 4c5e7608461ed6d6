import type * as vscode from 'vscode';
import type { ExplorerNode } from './core/model';

/** What revealNode needs of the model: holding tree events back, and waiting until the last one is applied. */
export interface RevealGate {
  holdEvents(): () => void;
  whenSettled(settleMs?: number): Promise<void>;
}

const ATTEMPTS = 3;
/** A reveal that takes longer than this has met something other than our events: it is given up. */
const REVEAL_TIMEOUT_MS = 15_000;

/**
 * Reveals a node of the Chroma tree. VS Code applies a tree event some time after it is fired, re-creating the
 * children of the node it names: a reveal in between fails with "Data tree node not found" (a count arriving just
 * as a collection was expanded did it in CI), and a reveal while events keep coming (counts arriving for a page of
 * collections) never finishes (a click test met it). So events are held back for the reveal, it starts once the
 * last event fired is applied, and a reveal that still fails is tried again; the last failure is thrown.
 */
export async function revealNode(
  view: Pick<vscode.TreeView<ExplorerNode>, 'reveal'>,
  tree: RevealGate,
  node: ExplorerNode,
  options: { select?: boolean; focus?: boolean; expand?: boolean | number },
): Promise<void> {
  const release = tree.holdEvents();
  try {
    let failure: unknown;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      await tree.whenSettled();
      try {
        await withTimeout(Promise.resolve(view.reveal(node, options)), REVEAL_TIMEOUT_MS);
        return;
      } catch (e) {
        failure = e;
      }
    }
    throw failure;
  } finally {
    release();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`VS Code did not finish showing the item in the Chroma view within ${ms / 1000} s.`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
