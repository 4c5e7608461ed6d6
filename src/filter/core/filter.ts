/**
 * A record filter as Chroma's `get` and `query` take it: a `where` clause on metadata and a `where_document` clause
 * on the text. The one type for it: the tree's Filter Records…, queries, exports and the agent tools all use it.
 * No `vscode` here.
 */
import type { Where, WhereDocument } from '../../chroma/types';

export interface Filter {
  where?: Where;
  whereDocument?: WhereDocument;
}

/** Whether the filter filters nothing: no where and no where_document. */
export function isEmptyFilter(filter: Filter | undefined): boolean {
  return !filter || ((filter.where === undefined || filter.where === null) && (filter.whereDocument === undefined || filter.whereDocument === null));
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
