import type * as vscode from 'vscode';
import type { ExplorerNode } from './core/model';

/** What revealNode needs of the model: a way to wait until the tree's events are applied. */
export interface QuietTree {
  whenQuiet(settleMs?: number, maxMs?: number): Promise<void>;
}

const ATTEMPTS = 3;

/**
 * Reveals a node of the Chroma tree once the tree events already fired are applied. VS Code applies a tree event
 * some time after it is fired, re-creating the children of the node it names; a reveal in between fails with
 * "Data tree node not found" (a count arriving just as a collection is expanded did it in CI). So this waits for a
 * quiet tree and, should an event still come between, tries again; the last failure is thrown.
 */
export async function revealNode(
  view: Pick<vscode.TreeView<ExplorerNode>, 'reveal'>,
  tree: QuietTree,
  node: ExplorerNode,
  options: { select?: boolean; focus?: boolean; expand?: boolean | number },
): Promise<void> {
  let failure: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await tree.whenQuiet();
    try {
      await view.reveal(node, options);
      return;
    } catch (e) {
      failure = e;
    }
  }
  throw failure;
}
