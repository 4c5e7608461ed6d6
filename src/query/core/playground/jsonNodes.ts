/** Readers of jsonc-parser's tree the playground adds to util/jsonTree (whose spans, properties and values it uses). */
import type { Node, Segment } from 'jsonc-parser';
import { properties } from '../../../util/jsonTree';

export { kindOf, openingOf, properties, spanOf, valueOf } from '../../../util/jsonTree';

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
