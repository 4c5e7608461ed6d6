/** Small readers of jsonc-parser's tree: spans, properties and plain values of its nodes. */
import type { Node, Segment } from 'jsonc-parser';
import type { Span } from './types';

export const spanOf = (n: Node): Span => ({ start: n.offset, end: n.offset + n.length });
/** The opening brace or bracket: where a problem about a whole object is underlined. */
export const openingOf = (n: Node): Span => ({ start: n.offset, end: n.offset + 1 });

export function properties(obj: Node): Array<{ key: string; keyNode: Node; valueNode?: Node; node: Node }> {
  return (obj.children ?? []).flatMap((p) => {
    const keyNode = p.children?.[0];
    return keyNode && typeof keyNode.value === 'string' ? [{ key: keyNode.value, keyNode, valueNode: p.children?.[1], node: p }] : [];
  });
}

/** A JSON value of a node (the parser's tree), without the parse errors a partial file may hold. */
export function valueOf(n: Node): unknown {
  switch (n.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of properties(n)) {
        if (p.valueNode) {
          out[p.key] = valueOf(p.valueNode);
        }
      }
      return out;
    }
    case 'array':
      return (n.children ?? []).map(valueOf);
    default:
      return n.value;
  }
}

export function kindOf(n: Node): string {
  return n.type === 'null' ? 'null' : n.type === 'array' ? 'an array' : n.type === 'object' ? 'an object' : `a ${n.type}`;
}

/** The key a mistyped key most likely meant, for "did you mean". */
export function suggestion(key: string, known: readonly string[], aliases: Record<string, string>): string | undefined {
  const plain = key.toLowerCase().replace(/[-_\s]/g, '');
  return aliases[key] ?? aliases[key.toLowerCase()] ?? aliases[plain] ?? known.find((k) => k.toLowerCase() === plain);
}

/** The node at a path of keys and indexes, if the file has it. */
export function nodeAt(root: Node, path: Segment[]): Node | undefined {
  let node: Node | undefined = root;
  for (const seg of path) {
    if (!node) {
      return undefined;
    }
    if (typeof seg === 'number') {
      node = node.type === 'array' ? node.children?.[seg] : undefined;
    } else {
      node = node.type === 'object' ? properties(node).find((p) => p.key === seg)?.valueNode : undefined;
    }
  }
  return node;
}
