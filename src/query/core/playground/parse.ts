/**
 * Reads a playground file's text: one query object; `{"queries": [...]}`, whose other keys are defaults for every
 * query in the list (a key a query sets replaces the default, filters included); or a top-level array of queries.
 * No `vscode` here.
 */
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { kindOf, openingOf, properties, spanOf } from './jsonNodes';
import { Reader, SHAPES } from './reader';
import type { Read } from './reader';
import { QUERY_KEYS } from './types';
import type { PlaygroundContext, PlaygroundFile } from './types';

function syntaxMessage(e: ParseError): string {
  const what = printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `The file is not valid JSON here (${what}): fix it so its queries can be read.`;
}

/** Reads a playground file's text: its queries, each with a spec when it can run, and every problem. */
export function parsePlayground(text: string, ctx: PlaygroundContext): PlaygroundFile {
  const reader = new Reader(ctx);
  const file: PlaygroundFile = { queries: [], problems: reader.problems, isList: false, connections: [] };
  if (!text.trim()) {
    reader.error({ start: 0, end: text.length }, `The file is empty. ${SHAPES}`);
    return file;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    reader.problems.push({ message: syntaxMessage(e), span: { start: e.offset, end: e.offset + Math.max(1, e.length) }, kind: 'syntax', severity: 'error' });
  }
  if (!root) {
    return file;
  }
  const none: Read = { fields: {}, bad: new Set() };
  const readQuery = (obj: Node, defaults: Read, inList: boolean) => {
    if (obj.type !== 'object') {
      reader.error(spanOf(obj), `A query is an object with "connection", "collection" and "query", not ${kindOf(obj)}.`);
      file.queries.push({ span: spanOf(obj), errors: 1 });
      return;
    }
    const before = reader.problems.length;
    const spec = reader.spec(obj, reader.fields(obj, QUERY_KEYS), defaults, inList);
    const errors = reader.problems.slice(before).filter((p) => p.severity === 'error').length;
    // a query kept from running only by a bad default still counts one error
    file.queries.push({ span: spanOf(obj), spec, errors: spec ? 0 : Math.max(1, errors) });
  };
  if (root.type === 'array') {
    file.isList = true;
    root.children?.forEach((q) => readQuery(q, none, false));
    if (!root.children?.length) {
      reader.warn(openingOf(root), 'The list has no queries yet: add {"connection": …, "collection": …, "query": …}.');
    }
  } else if (root.type === 'object') {
    const list = properties(root).find((p) => p.key === 'queries');
    if (!list) {
      readQuery(root, none, false);
    } else {
      file.isList = true;
      const stray = properties(root).find((p) => p.key === 'query');
      if (stray) {
        reader.error(spanOf(stray.keyNode), 'With "queries", each query goes in that list: move this "query" into it.');
      }
      const defaults = reader.fields(root, QUERY_KEYS, ['queries', 'query']);
      const items = list.valueNode;
      if (!items || items.type !== 'array') {
        reader.error(items ? spanOf(items) : spanOf(list.keyNode), `"queries" is an array of query objects${items ? `, not ${kindOf(items)}` : ''}.`);
      } else if (!items.children?.length) {
        reader.warn(spanOf(items), 'The list has no queries yet: add {"query": "…"} (connection and collection come from the top of the file).');
      } else {
        items.children.forEach((q) => readQuery(q, defaults, true));
      }
    }
  } else {
    reader.error(spanOf(root), SHAPES);
  }
  file.connections = reader.connectionsUsed;
  // a problem of a default (an unknown collection) is found for each query that uses it: reported once
  const seen = new Set<string>();
  file.problems = reader.problems.filter((p) => {
    const key = `${p.span.start}:${p.span.end}:${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return file;
}
