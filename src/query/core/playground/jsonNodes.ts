/** Readers of jsonc-parser's tree the playground adds to util/jsonTree (whose spans, properties and values it uses). */
import type { Node, Segment } from 'jsonc-parser';
import { quote } from '../../../chroma/sanitize';
import { collectionNameProblem } from '../../../chroma/validate';
import { kindOf, properties, spanOf } from '../../../util/jsonTree';
import type { Span } from '../../../util/jsonTree';

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

/** Why a "tenant" or "database" value is not a scope name (a string of 3 or more characters), or undefined. */
export function scopeNameProblem(n: Node, key: 'tenant' | 'database'): string | undefined {
  return n.type !== 'string' || String(n.value).length < 3 ? `"${key}" is a ${key} name of 3 or more characters${n.type === 'string' ? '' : `, not ${kindOf(n)}`}.` : undefined;
}

/** Why a "collection" value is not a collection's name, or undefined; an empty one is asked for `purpose` ("to query"). */
export function collectionFieldProblem(n: Node, purpose: string): string | undefined {
  if (n.type !== 'string') {
    return `"collection" is a collection's name (a string), not ${kindOf(n)}.`;
  }
  const name = String(n.value);
  const problem = collectionNameProblem(name);
  if (!problem) {
    return undefined;
  }
  return name ? `The collection name ${quote(name)} is invalid: it ${problem}.` : `"collection" is empty: write the name of the collection ${purpose}.`;
}

/** The node's string when `problem` is undefined; else `problem` is reported at the node, and undefined returned. */
export function stringUnless(n: Node, problem: string | undefined, report: { error(span: Span, message: string): void }): string | undefined {
  if (problem) {
    report.error(spanOf(n), problem);
    return undefined;
  }
  return String(n.value);
}
