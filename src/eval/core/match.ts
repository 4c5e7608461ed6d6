/**
 * Which expected items a hit satisfies. An expected id matches that record. An expected source matches a chunk whose
 * metadata names the same file (ingest's `source`, read as the results view reads it), and, when the expectation
 * has lines, whose `startLine`–`endLine` overlap them. An expected `where` is left to the server: the hits are asked
 * for again with that filter (a get by ids), so Chroma's own filter semantics decide, operators and types included.
 * No `vscode` here.
 */
import type { ChromaClient, CollectionRef } from '../../chroma/client';
import type { Metadata, Where } from '../../chroma/types';
import { describeFilter, describeLink, sourceLinkOf } from './queryParts';
import type { Expectation, SourceExpectation } from './types';

export type Item = { kind: 'id'; id: string } | { kind: 'source'; source: SourceExpectation } | { kind: 'where'; where: Where };

/** Where a hit's text came from, as its metadata says. */
export interface HitSource {
  source?: string;
  startLine?: number;
  endLine?: number;
}

/** The expected items of a case, in a fixed order: ids, then sources, then the where. */
export function itemsOf(expect: Expectation): Item[] {
  return [
    ...expect.ids.map((id): Item => ({ kind: 'id', id })),
    ...expect.sources.map((source): Item => ({ kind: 'source', source })),
    ...(expect.where ? [{ kind: 'where', where: expect.where } as Item] : []),
  ];
}

export function itemLabel(item: Item): string {
  switch (item.kind) {
    case 'id':
      return item.id;
    case 'source': {
      const s = item.source;
      return s.startLine === undefined ? s.source : describeLink({ source: s.source, startLine: s.startLine, endLine: s.endLine ?? s.startLine });
    }
    case 'where':
      return `a record where ${describeFilter({ where: item.where }, 60)}`;
  }
}

const normalize = (path: string) => path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');

/**
 * The file and lines of a hit: the line range when ingest's metadata has a usable one (`sourceLinkOf`), else just a
 * string `source` (records written by other tools often have only that).
 */
export function hitSource(metadata: Metadata | null | undefined): HitSource {
  const link = sourceLinkOf(metadata);
  if (link?.source !== undefined) {
    return { source: link.source, startLine: link.startLine, endLine: link.endLine };
  }
  const source = metadata?.source;
  return typeof source === 'string' && source.length > 0 && source.length <= 4096 ? { source } : {};
}

/**
 * Whether a hit's file is the expected one: the same path, or a path that ends with it at a `/` (a multi-root
 * workspace's folder name, or an absolute path another tool wrote).
 */
export function sameFile(hitPath: string, expected: string): boolean {
  const a = normalize(hitPath);
  const b = normalize(expected);
  return a === b || a.endsWith(`/${b}`);
}

function sourceMatches(hit: HitSource, want: SourceExpectation): boolean {
  if (hit.source === undefined || !sameFile(hit.source, want.source)) {
    return false;
  }
  if (want.startLine === undefined) {
    return true;
  }
  const end = want.endLine ?? want.startLine;
  return hit.startLine !== undefined && hit.endLine !== undefined && hit.startLine <= end && hit.endLine >= want.startLine;
}

/** The indices of the items a hit satisfies; `whereMatched`: whether the server found it matching the case's where. */
export function satisfied(items: readonly Item[], hit: { id: string; source: HitSource }, whereMatched: boolean): number[] {
  const out: number[] = [];
  items.forEach((item, i) => {
    if (item.kind === 'id' ? item.id === hit.id : item.kind === 'source' ? sourceMatches(hit.source, item.source) : whereMatched) {
      out.push(i);
    }
  });
  return out;
}

/** The ids (among `ids`) that match `where`, asked of the server. */
export interface WhereRequest {
  where: Where;
  ids: readonly string[];
}

/**
 * For each request, which of its ids the server finds matching its where: one get per distinct filter (requests
 * with the same filter share it), asking for ids only. A filter the server refuses rejects with its error.
 */
export async function matchWhere(client: ChromaClient, collection: CollectionRef, requests: readonly WhereRequest[], signal?: AbortSignal): Promise<Set<string>[]> {
  const byFilter = new Map<string, { where: Where; ids: Set<string> }>();
  for (const r of requests) {
    const key = JSON.stringify(r.where);
    const entry = byFilter.get(key) ?? { where: r.where, ids: new Set<string>() };
    r.ids.forEach((id) => entry.ids.add(id));
    byFilter.set(key, entry);
  }
  const matched = new Map<string, Set<string>>();
  for (const [key, { where, ids }] of byFilter) {
    if (ids.size === 0) {
      matched.set(key, new Set());
      continue;
    }
    const got = await client.get(collection, { ids: [...ids], where, include: [] }, { signal });
    matched.set(key, new Set(got.ids));
  }
  return requests.map((r) => matched.get(JSON.stringify(r.where)) ?? new Set());
}
