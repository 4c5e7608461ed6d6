/**
 * What the overview page shows, as bounded one-line text: the collection's facts, its facets and its health
 * findings, cut to the protocol's limits so that no server value can make a message or a page large. The full
 * values stay in the extension host (the page names them by index). No `vscode` here.
 */
import { distanceSpace } from '../chroma/distance';
import type { Collection } from '../chroma/types';
import { boundedJson, displayLine, formatCount, hasOwnKeys } from '../util/text';
import type { Facet } from './core/facets';
import type { Finding } from './core/health';
import { LIMITS } from './core/protocol';
import type { FacetView, FactView, FindingView } from './core/protocol';

/** A metadata value as a label: strings as they are (one line), others as JSON would write them. */
export function valueLabel(v: string | number | boolean): string {
  if (typeof v === 'string') {
    return v === '' ? '(empty string)' : displayLine(v, LIMITS.label) || '(blank)';
  }
  return String(v);
}

const finite = (n: number) => (Number.isFinite(n) ? n : 0);
const countOf = (n: number) => (Number.isSafeInteger(n) && n >= 0 ? n : 0);

export function facetViews(facets: readonly Facet[]): FacetView[] {
  return facets.slice(0, LIMITS.facets).map((f) => ({
    key: displayLine(f.key, LIMITS.label) || '(empty key)',
    present: countOf(f.present),
    types: {
      string: countOf(f.types.string),
      number: countOf(f.types.number),
      boolean: countOf(f.types.boolean),
      array: countOf(f.types.array),
      other: countOf(f.types.other),
    },
    top: f.top.slice(0, LIMITS.topValues).map((t) => ({ label: valueLabel(t.value), count: countOf(t.count) })),
    ...(f.histogram
      ? { histogram: { min: finite(f.histogram.min), max: finite(f.histogram.max), bins: f.histogram.bins.slice(0, LIMITS.bins).map(countOf) } }
      : {}),
    distinct: countOf(f.distinct),
    capped: Boolean(f.distinctCapped),
  }));
}

export function findingViews(findings: readonly Finding[]): FindingView[] {
  return findings.slice(0, LIMITS.findings).map((f) => ({
    kind: f.kind,
    title: displayLine(f.title, LIMITS.text),
    count: countOf(f.count),
    examples: f.exampleIds.slice(0, LIMITS.examples).map((id) => displayLine(id, LIMITS.label) || '(blank id)'),
    ...(f.detail ? { detail: displayLine(f.detail, LIMITS.text) } : {}),
  }));
}

/** Where the embedding function shown comes from: the collection's configuration, or the user's choice here. */
export interface FunctionFact {
  name: string;
  from: 'stored' | 'chosen';
  config?: Record<string, unknown>;
}

const SPACES: Record<string, string> = {
  l2: 'l2 (squared Euclidean)',
  cosine: 'cosine (1 − cosine similarity)',
  ip: 'ip (1 − inner product)',
};

/** The facts list: records, dimension, distance, embedding function, ids, configuration and metadata. */
export function factsOf(input: { connection: string; collection: Collection; count?: number; fn?: FunctionFact }): FactView[] {
  const c = input.collection;
  const space = distanceSpace(c);
  const fn = input.fn;
  const fnText = fn
    ? `${displayLine(fn.name, LIMITS.label)}${fn.from === 'chosen' ? ' (chosen in VS Code; the collection stores none)' : ''}`
    : 'none stored (legacy collection, or created without one)';
  const facts: FactView[] = [
    { label: 'Records', value: input.count === undefined ? 'unknown' : formatCount(input.count) },
    { label: 'Dimension', value: c.dimension === null || c.dimension === undefined ? 'none yet (no embeddings added)' : String(c.dimension) },
    { label: 'Distance', value: SPACES[space] ?? displayLine(space, LIMITS.label) },
    { label: 'Embedding function', value: fnText },
  ];
  if (fn?.config && hasOwnKeys(fn.config)) {
    facts.push({ label: 'Function config', value: boundedJson(fn.config, LIMITS.fact).text, block: true });
  }
  facts.push(
    { label: 'Connection', value: displayLine(input.connection, LIMITS.label) },
    { label: 'Database', value: displayLine(`${c.tenant} / ${c.database}`, LIMITS.label) },
    { label: 'Collection id', value: displayLine(c.id, LIMITS.label) },
  );
  if (c.configuration_json && hasOwnKeys(c.configuration_json)) {
    facts.push({ label: 'Configuration', value: boundedJson(c.configuration_json, LIMITS.fact).text, block: true });
  }
  if (c.metadata && hasOwnKeys(c.metadata)) {
    facts.push({ label: 'Metadata', value: boundedJson(c.metadata, LIMITS.fact).text, block: true });
  }
  return facts;
}

/**
 * Whether the collection's vectors should have length 1: the default function (all-MiniLM-L6-v2) and OpenAI's
 * models return unit vectors, and sentence-transformers does when told to normalise.
 */
export function isNormalising(fn: FunctionFact | undefined): boolean {
  const name = fn?.name ?? '';
  if (name === 'default' || name === 'onnx_mini_lm_l6_v2' || name === 'openai') {
    return true;
  }
  return name === 'sentence_transformer' && fn?.config?.normalize_embeddings === true;
}
