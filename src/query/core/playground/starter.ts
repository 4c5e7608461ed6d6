/** The file New Query Playground writes. No `vscode` here. */
import type { Span } from './types';

/** What New Query Playground writes: one query for a collection, with its text left to the user. */
export interface Starter {
  connection: string;
  collection: string;
  /** Only when they differ from what the connection uses by default. */
  tenant?: string;
  database?: string;
  /** The query text; a prompt to replace when empty. */
  query?: string;
  nResults: number;
}

/** A starting file, and the span of the query text (inside its quotes) for the editor to select. */
export function starterPlayground(s: Starter): { text: string; querySpan: Span } {
  const body: Record<string, unknown> = { connection: s.connection };
  if (s.tenant) {
    body.tenant = s.tenant;
  }
  if (s.database) {
    body.database = s.database;
  }
  body.collection = s.collection;
  body.query = s.query?.trim() ? s.query : 'What to search for';
  body.nResults = s.nResults;
  const text = `${JSON.stringify(body, null, 2)}\n`;
  const key = '"query": ';
  const start = text.indexOf(key) + key.length + 1;
  return { text, querySpan: { start, end: start + JSON.stringify(body.query).length - 2 } };
}
