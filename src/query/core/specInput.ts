/**
 * Checks what callers hand the workbench as a query: `chroma.runQuerySpec`'s argument (it may come from a file
 * someone committed), stored history, and a vector pasted as JSON. Each check answers with the query or with one
 * line that says what is wrong and where. No `vscode` here.
 */
import type { Include, Where, WhereDocument } from '../../chroma/types';
import type { QueryInput, QuerySpec } from './spec';

/** A QuerySpec as a caller may give it: tenant, database, n_results and include default when left out. */
export interface QuerySpecArg {
  connection: string;
  tenant?: string;
  database?: string;
  collection: string;
  input: QueryInput;
  nResults?: number;
  where?: Where;
  whereDocument?: WhereDocument;
  include?: Include[];
}

export const MAX_N_RESULTS = 1_000;
export const MAX_TEXT = 100_000;
export const MAX_DIMENSION = 65_536;
/** Queries one call may run. */
export const MAX_SPECS = 50;
export const DEFAULT_INCLUDE: readonly Include[] = ['documents', 'metadatas', 'distances'];

const SPEC_KEYS = ['connection', 'tenant', 'database', 'collection', 'input', 'nResults', 'where', 'whereDocument', 'include'];
const INCLUDES: readonly Include[] = ['documents', 'metadatas', 'embeddings', 'uris', 'distances'];
/** Names people write from Chroma's own API, and what they are called here. */
const ALIASES: Record<string, string> = { n_results: 'nResults', where_document: 'whereDocument', query_texts: 'input', query_embeddings: 'input' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v);

function name(v: unknown, what: string, max = 512): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
    throw new Error(`${what} must be a non-empty string (got ${shown(v)})`);
  }
  return v;
}

/** A vector's problem, or undefined: a list of 1–65,536 finite numbers, of the collection's dimension when known. */
export function vectorProblem(v: unknown, dimension?: number | null): string | undefined {
  if (!Array.isArray(v)) {
    return `a vector is a JSON array of numbers (got ${shown(v)})`;
  }
  if (v.length === 0 || v.length > MAX_DIMENSION) {
    return `a vector has 1 to ${MAX_DIMENSION.toLocaleString('en-US')} numbers (got ${v.length})`;
  }
  const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad !== -1) {
    return `element ${bad} of the vector is not a finite number (got ${shown(v[bad])})`;
  }
  if (dimension !== null && dimension !== undefined && v.length !== dimension) {
    return `the vector has ${v.length} dimensions, but the collection holds ${dimension}-dimensional embeddings`;
  }
  return undefined;
}

/** A vector pasted as a JSON array, or a one-line message saying what is wrong with it. */
export function parseVector(text: string, dimension?: number | null): { vector: number[] } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) {
    return { error: 'Paste a JSON array of numbers, e.g. [0.12, -0.5, …].' };
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { error: 'This is not JSON: paste an array of numbers, e.g. [0.12, -0.5, …].' };
  }
  const problem = vectorProblem(value, dimension);
  return problem ? { error: `${problem[0].toUpperCase()}${problem.slice(1)}.` } : { vector: value as number[] };
}

function input(v: unknown, at: string): QueryInput {
  if (!isObject(v)) {
    throw new Error(`${at}.input must be an object such as {"kind": "text", "text": "…"} (got ${shown(v)})`);
  }
  switch (v.kind) {
    case 'text': {
      if (typeof v.text !== 'string' || v.text.trim() === '' || v.text.length > MAX_TEXT) {
        throw new Error(`${at}.input.text must be a non-empty string of at most ${MAX_TEXT.toLocaleString('en-US')} characters`);
      }
      return { kind: 'text', text: v.text };
    }
    case 'record':
      return { kind: 'record', recordId: name(v.recordId, `${at}.input.recordId`, 100_000) };
    case 'vector': {
      const problem = vectorProblem(v.vector);
      if (problem) {
        throw new Error(`${at}.input.vector: ${problem}`);
      }
      return { kind: 'vector', vector: [...(v.vector as number[])] };
    }
    default:
      throw new Error(`${at}.input.kind must be "text", "record" or "vector" (got ${shown(v.kind)})`);
  }
}

function spec(v: unknown, at: string): QuerySpecArg {
  if (!isObject(v)) {
    throw new Error(`${at} must be an object with connection, collection and input (got ${shown(v)})`);
  }
  for (const key of Object.keys(v)) {
    if (!SPEC_KEYS.includes(key)) {
      const alias = ALIASES[key];
      throw new Error(`${at} has an unknown key "${key.slice(0, 60)}"${alias ? `: write "${alias}"` : ''} (known: ${SPEC_KEYS.join(', ')})`);
    }
  }
  const out: QuerySpecArg = {
    connection: name(v.connection, `${at}.connection`),
    collection: name(v.collection, `${at}.collection`),
    input: input(v.input, at),
  };
  if (v.tenant !== undefined) {
    out.tenant = name(v.tenant, `${at}.tenant`);
  }
  if (v.database !== undefined) {
    out.database = name(v.database, `${at}.database`);
  }
  if (v.nResults !== undefined) {
    if (typeof v.nResults !== 'number' || !Number.isInteger(v.nResults) || v.nResults < 1 || v.nResults > MAX_N_RESULTS) {
      throw new Error(`${at}.nResults must be a whole number from 1 to ${MAX_N_RESULTS} (got ${shown(v.nResults)})`);
    }
    out.nResults = v.nResults;
  }
  for (const key of ['where', 'whereDocument'] as const) {
    if (v[key] !== undefined) {
      if (!isObject(v[key])) {
        throw new Error(`${at}.${key} must be an object (got ${shown(v[key])})`);
      }
      out[key] = v[key];
    }
  }
  if (v.include !== undefined) {
    const include = v.include;
    if (!Array.isArray(include) || include.some((i) => !INCLUDES.includes(i as Include))) {
      throw new Error(`${at}.include must be a list of ${INCLUDES.map((i) => `"${i}"`).join(', ')}`);
    }
    out.include = [...new Set(include as Include[])];
  }
  return out;
}

/** A query, or a list of up to 50: what `chroma.runQuerySpec` takes. */
export function parseQuerySpecs(value: unknown): { specs: QuerySpecArg[] } | { error: string } {
  try {
    if (Array.isArray(value)) {
      if (value.length === 0 || value.length > MAX_SPECS) {
        return { error: `Give 1 to ${MAX_SPECS} queries (got ${value.length}).` };
      }
      return { specs: value.map((v, i) => spec(v, `query ${i + 1}`)) };
    }
    return { specs: [spec(value, 'the query')] };
  } catch (e) {
    return { error: `${(e as Error).message}. Nothing was sent.` };
  }
}

/** The QuerySpec of an argument, with the connection's scope and the configured n_results where it left them out. */
export function completeSpec(arg: QuerySpecArg, defaults: { tenant: string; database: string; nResults: number }): QuerySpec {
  return {
    connection: arg.connection,
    tenant: arg.tenant ?? defaults.tenant,
    database: arg.database ?? defaults.database,
    collection: arg.collection,
    input: arg.input,
    nResults: arg.nResults ?? defaults.nResults,
    ...(arg.where ? { where: arg.where } : {}),
    ...(arg.whereDocument ? { whereDocument: arg.whereDocument } : {}),
    include: arg.include ?? [...DEFAULT_INCLUDE],
  };
}

/** A complete QuerySpec (stored history), or undefined. */
export function asQuerySpec(value: unknown): QuerySpec | undefined {
  const parsed = parseQuerySpecs(value);
  if ('error' in parsed || Array.isArray(value)) {
    return undefined;
  }
  const arg = parsed.specs[0];
  return arg.tenant !== undefined && arg.database !== undefined && arg.nResults !== undefined && arg.include !== undefined
    ? completeSpec(arg, { tenant: arg.tenant, database: arg.database, nResults: arg.nResults })
    : undefined;
}
