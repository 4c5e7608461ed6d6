/**
 * What a tree command was run on. VS Code calls a context-menu command with the clicked node and, in a tree with
 * multi-select, the selected nodes: `(clicked, selected[])`. A command run from the palette or a key binding gets
 * neither; the tree's current selection then stands for it where that makes sense.
 */
import * as vscode from 'vscode';
import type { ExplorerNode } from './core/model';

/** The tree node a command was run on, if its argument is one of `kind`. */
export function nodeOf<K extends ExplorerNode['kind']>(arg: unknown, kind: K): Extract<ExplorerNode, { kind: K }> | undefined {
  const node = arg as ExplorerNode | undefined;
  return node && typeof node === 'object' && node.kind === kind && typeof node.id === 'string' ? (node as Extract<ExplorerNode, { kind: K }>) : undefined;
}

function isNode(v: unknown): v is ExplorerNode {
  return !!v && typeof v === 'object' && typeof (v as ExplorerNode).kind === 'string' && typeof (v as ExplorerNode).id === 'string';
}

/**
 * The nodes of `kind` a command acts on: the selection VS Code passed when it contains the clicked node (a click on
 * a node outside the selection acts on that node alone), the clicked node, or, with no argument at all, the tree's
 * current selection (`fallback`).
 */
export function nodesOf<K extends ExplorerNode['kind']>(
  clicked: unknown,
  selected: unknown,
  kind: K,
  fallback: readonly ExplorerNode[] = [],
): Array<Extract<ExplorerNode, { kind: K }>> {
  const of = (nodes: readonly unknown[]) => nodes.filter((n): n is Extract<ExplorerNode, { kind: K }> => isNode(n) && n.kind === kind);
  if (isNode(clicked)) {
    const all = Array.isArray(selected) && selected.includes(clicked) ? selected : [clicked];
    return of(all);
  }
  return clicked === undefined ? of(fallback) : [];
}

/** Confirms a destructive action with a modal dialog; true only when the user chose `action`. */
export async function confirmModal(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}

export const plural = (n: number, what: string, many = `${what}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? what : many}`;
