/**
 * Reading a jsonc-parser tree with positions: the properties of an object node, a node's span, its plain value,
 * and its kind in words for messages. Files the user edits (evaluation sets, and the same shapes the playground
 * reads) are checked on this tree so that every problem can be underlined where it is. No `vscode` here.
 */
import type { Node } from 'jsonc-parser';

/** Offsets into the text; `end` is exclusive. */
export interface Span {
  start: number;
  end: number;
}

export interface Property {
  key: string;
  keyNode: Node;
  /** Missing while the value is being typed (the parser reports that). */
  valueNode?: Node;
  /** The whole `"key": value`. */
  node: Node;
}

export const spanOf = (n: Node): Span => ({ start: n.offset, end: n.offset + n.length });

/** The opening brace or bracket: where a problem about a whole object or list is underlined. */
export const openingOf = (n: Node): Span => ({ start: n.offset, end: n.offset + 1 });

/** The properties of an object node, in file order (repeated keys included). */
export function properties(obj: Node): Property[] {
  return (obj.children ?? []).flatMap((p) => {
    const keyNode = p.children?.[0];
    return keyNode && typeof keyNode.value === 'string' ? [{ key: keyNode.value, keyNode, valueNode: p.children?.[1], node: p }] : [];
  });
}

/** The JSON value of a node (the last of repeated keys wins, as JSON.parse does), whatever errors the file holds. */
export function valueOf(n: Node): unknown {
  switch (n.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of properties(n)) {
        if (p.valueNode) {
          // defineProperty: a "__proto__" key stays a plain key
          Object.defineProperty(out, p.key, { value: valueOf(p.valueNode), enumerable: true, writable: true, configurable: true });
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

/** "an object", "an array", "a string", "null": what a node is, for "… not <kind>" messages. */
export function kindOf(n: Node): string {
  return n.type === 'null' ? 'null' : n.type === 'array' ? 'an array' : n.type === 'object' ? 'an object' : `a ${n.type}`;
}
