/**
 * What a Chroma server can do, learnt from what it serves and answers, never from its version string: every 1.x
 * server reports "1.0.0" (hard-coded), so 1.0.0 and 1.5.9 look the same there. Its `/openapi.json` says which routes
 * exist; an answer says whether one works (501, 405, a 404 without a Chroma body, or a 500 "not implemented" mean it
 * does not). Probes only read, or write to a collection that cannot exist (the nil id), so they change nothing.
 * No `vscode` here.
 */
import { ChromaError, ChromaInvalidArgumentError, ChromaNotFoundError, ChromaServerError, ChromaUnsupportedError, isAuthError } from './errors';
import { oneLine } from './sanitize';
import type { HttpMethod } from './transport';
import type { Collection, PreflightChecks, Scope } from './types';
import { FEATURES, FEATURE_LABELS } from './featureNames';
import type { Capability, Feature, ServerCapabilities } from './featureNames';

export type { Capability, Feature, ServerCapabilities, Support } from './featureNames';

/** Routes as a server's OpenAPI lists them; path parameters are compared by position, not name. */
export interface OpenApiRoutes {
  has(method: HttpMethod, path: string): boolean;
  /** Whether its `Collection` has a `schema` property. */
  collectionHasSchema: boolean;
  /** Whether its metadata values (`HashMap`) may be lists; undefined when it does not describe them. */
  listMetadata?: boolean;
}

const DB_ROUTE = '/api/v2/tenants/{}/databases';
const COLLECTION_ROUTE = '/api/v2/tenants/{}/databases/{}/collections/{}';
/** Paths past this many are not read: a real OpenAPI has a few dozen. */
const MAX_PATHS = 5_000;
/** A collection id no server has: probes that write address it, so nothing can change. */
export const NIL_ID = '00000000-0000-0000-0000-000000000000';
const PROBE_NAME = 'chroma-explorer-probe';

const template = (path: string): string => path.replace(/\{[^}/]*\}/g, '{}');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The routes of an OpenAPI document, or undefined when it is not one. */
export function parseOpenApi(doc: unknown): OpenApiRoutes | undefined {
  if (!isObject(doc) || !isObject(doc.paths)) {
    return undefined;
  }
  const routes = new Map<string, Set<string>>();
  for (const path of Object.keys(doc.paths).slice(0, MAX_PATHS)) {
    const item = doc.paths[path];
    if (isObject(item)) {
      routes.set(template(path), new Set(Object.keys(item).map((m) => m.toUpperCase())));
    }
  }
  const schemas = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : undefined;
  const collection = schemas && isObject(schemas.Collection) ? schemas.Collection : undefined;
  const properties = collection && isObject(collection.properties) ? collection.properties : undefined;
  return {
    has: (method, path) => routes.get(template(path))?.has(method) ?? false,
    collectionHasSchema: !!properties && 'schema' in properties,
    listMetadata: schemas ? metadataTakesLists(schemas.HashMap) : undefined,
  };
}

/** Whether the schema of a metadata value (Chroma's `HashMap`) has an array among its variants; undefined when it is not one. */
function metadataTakesLists(hashMap: unknown): boolean | undefined {
  const value = isObject(hashMap) && isObject(hashMap.additionalProperties) ? hashMap.additionalProperties : undefined;
  const variants = value && Array.isArray(value.oneOf) ? value.oneOf.slice(0, 100) : undefined;
  return variants ? variants.some((v) => isObject(v) && v.type === 'array') : undefined;
}

/** Said by Chroma's single-node server when it lacks something (its local executor, log, sysdb). */
const SINGLE_NODE = /\blocal (chroma|executor)\b|\bSqliteSysDb\b/i;
const NOT_IMPLEMENTED = /\bnot (yet )?implemented\b|\bunimplemented\b|\bunsupported\b/i;

/** An answer's status and the start of the server's words, e.g. `501: "Collection forking is unsupported…"`. */
export function answerText(e: ChromaError, max = 100): string {
  const said = e.serverMessage ? `: "${oneLine(e.serverMessage, max)}"` : '';
  return `${e.status ?? e.code}${said}`;
}

/** Whether an error says the server does not implement what was asked (as opposed to failing at it). */
export function isNotImplemented(e: unknown): boolean {
  return (
    e instanceof ChromaUnsupportedError ||
    (e instanceof ChromaServerError && e.serverMessage !== undefined && NOT_IMPLEMENTED.test(e.serverMessage))
  );
}

/** What one attempt's outcome (undefined: it worked) says about a route. */
export function capabilityFromAnswer(error: unknown): Capability & { singleNode?: boolean } {
  if (error === undefined) {
    return { support: 'yes', how: 'it answered' };
  }
  if (!(error instanceof ChromaError)) {
    return { support: 'unknown', how: 'the attempt failed' };
  }
  const singleNode = error.serverMessage !== undefined && SINGLE_NODE.test(error.serverMessage) ? true : undefined;
  if (isNotImplemented(error)) {
    return { support: 'no', how: `it answered ${answerText(error)}`, singleNode };
  }
  if (error instanceof ChromaNotFoundError && error.serverKind) {
    return { support: 'unknown', how: 'the route exists; it needs a collection to tell', singleNode };
  }
  if (isAuthError(error)) {
    return { support: 'unknown', how: `refused (${error.status ?? error.code})` };
  }
  return { support: 'unknown', how: `no clear answer (${answerText(error, 60)})`, singleNode };
}

/** What detection needs from a client. Each call may reject; an aborted one ends detection. */
export interface CapabilitySource {
  preflight(): Promise<PreflightChecks>;
  /** The version the server reports. */
  version(): Promise<string>;
  /** The server's OpenAPI routes; undefined when it serves none. */
  openApi(): Promise<OpenApiRoutes | undefined>;
  scope(): Promise<Scope>;
  /** A collection of the scope, to try per-collection routes on; undefined when there is none. */
  sampleCollection(scope: Scope): Promise<Collection | undefined>;
  /** One request under /api/v2 whose outcome is all that matters. */
  attempt(method: HttpMethod, path: string, opts?: { body?: unknown; query?: Record<string, string | number> }): Promise<unknown>;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    if (error instanceof ChromaError && error.code === 'aborted') {
      throw error;
    }
    return { ok: false, error };
  }
}

const enc = encodeURIComponent;

function collectionRoute(scope: Scope, id: string): string {
  return `/tenants/${enc(scope.tenant)}/databases/${enc(scope.database)}/collections/${enc(id)}`;
}

/** Tries a route once and reads the outcome. */
async function attempt(
  src: CapabilitySource,
  method: HttpMethod,
  path: string,
  opts?: { body?: unknown; query?: Record<string, string | number> },
): Promise<Capability & { singleNode?: boolean }> {
  const outcome = await settle(src.attempt(method, path, opts));
  return capabilityFromAnswer(outcome.ok ? undefined : outcome.error);
}

const no = (how: string): Capability => ({ support: 'no', how });
const unknown = (how: string): Capability => ({ support: 'unknown', how });
const NOT_LISTED = "not in the server's OpenAPI";

/** What detection learnt before trying routes (the OpenAPI, the scope, a collection of it), and what tries taught. */
interface Probe {
  src: CapabilitySource;
  routes?: OpenApiRoutes;
  scope?: Scope;
  /** The scope's first collection, when it has one. */
  sampled?: Collection;
  /** The version the server reports. */
  reported?: string;
  /** Whether an answer said the server is single-node. */
  singleNode?: boolean;
}

const listed = (p: Probe, method: HttpMethod, route: string): boolean | undefined => p.routes?.has(method, route);

/** A try's outcome, its single-node hint noted. */
function noted(p: Probe, c: Capability & { singleNode?: boolean }): Capability {
  p.singleNode ||= c.singleNode;
  return { support: c.support, how: c.how };
}

/** The route of a collection of the scope (undefined without a scope). */
const routeOf = (p: Probe, id: string): string | undefined => (p.scope ? collectionRoute(p.scope, id) : undefined);

function base64Capability(pre: Settled<PreflightChecks>): Capability {
  if (!pre.ok) {
    return unknown('pre-flight did not answer');
  }
  return pre.value.supports_base64_encoding === true ? { support: 'yes', how: 'pre-flight says supports_base64_encoding' } : no('pre-flight does not offer it');
}

async function databasesCapability(p: Probe): Promise<Capability> {
  const inApi = listed(p, 'GET', DB_ROUTE);
  if (inApi !== undefined) {
    return inApi ? { support: 'yes', how: "in the server's OpenAPI" } : no(NOT_LISTED);
  }
  return p.scope ? noted(p, await attempt(p.src, 'GET', `/tenants/${enc(p.scope.tenant)}/databases`, { query: { limit: 1 } })) : unknown('no scope to try');
}

/** A route tried on the scope's first collection (or the nil id), unless the OpenAPI says it does not exist. */
async function triedCapability(p: Probe, method: HttpMethod, suffix: string, body?: unknown): Promise<Capability> {
  if (listed(p, method, `${COLLECTION_ROUTE}${suffix}`) === false) {
    return no(NOT_LISTED);
  }
  const onCollection = routeOf(p, p.sampled?.id ?? NIL_ID);
  return onCollection ? noted(p, await attempt(p.src, method, `${onCollection}${suffix}`, { body })) : unknown('no scope to try');
}

async function forkCapability(p: Probe): Promise<Capability> {
  if (listed(p, 'POST', `${COLLECTION_ROUTE}/fork`) === false) {
    return no(NOT_LISTED);
  }
  const onNil = routeOf(p, NIL_ID);
  if (!onNil) {
    return unknown('no scope to try');
  }
  // Servers that cannot fork at all say so before looking for the (missing) source.
  const direct = noted(p, await attempt(p.src, 'POST', `${onNil}/fork`, { body: { new_name: PROBE_NAME } }));
  if (direct.support === 'no' || !p.sampled || listed(p, 'GET', `${COLLECTION_ROUTE}/fork_count`) === false) {
    return direct;
  }
  const count = noted(p, await attempt(p.src, 'GET', `${routeOf(p, p.sampled.id)}/fork_count`));
  return count.support === 'unknown' ? direct : { support: count.support, how: `fork count: ${count.how}` };
}

function schemaCapability(p: Probe): Capability {
  if (p.routes?.collectionHasSchema) {
    return { support: 'yes', how: "collections have one in the server's OpenAPI" };
  }
  if (p.sampled) {
    return isObject(p.sampled.schema) ? { support: 'yes', how: 'collections carry one' } : no('collections carry none');
  }
  return p.routes ? no("collections have none in the server's OpenAPI") : unknown('no collection to look at');
}

async function listMetadataCapability(p: Probe): Promise<Capability> {
  if (p.reported !== undefined && LEGACY_VERSION.test(p.reported)) {
    return no(`the server reports version ${oneLine(p.reported, 20)}; list values need Chroma 1.5 or later`);
  }
  if (p.routes?.listMetadata !== undefined) {
    return p.routes.listMetadata
      ? { support: 'yes', how: "metadata values may be lists in the server's OpenAPI" }
      : no("metadata values are never lists in the server's OpenAPI");
  }
  // An add with a list value, to the nil id: a server that reads lists then finds no collection; one that does not refuses the body.
  const onNil = routeOf(p, NIL_ID);
  if (!onNil) {
    return unknown('no scope to try');
  }
  const outcome = await settle(p.src.attempt('POST', `${onNil}/add`, { body: { ids: [PROBE_NAME], embeddings: [[0]], metadatas: [{ probe: ['list'] }] } }));
  return listAnswer(outcome.ok ? undefined : outcome.error);
}

/** Attaching a function writes, and older servers do not check the collection first: never tried. */
function functionsCapability(p: Probe): Capability {
  const functionsListed = listed(p, 'POST', `${COLLECTION_ROUTE}/functions/attach`);
  if (functionsListed === false) {
    return no(NOT_LISTED);
  }
  return p.singleNode
    ? no('a single-node server (its answers say "local"); functions need distributed Chroma or Chroma Cloud')
    : unknown(functionsListed ? "in the server's OpenAPI; not tried (attaching writes)" : 'not tried (attaching writes)');
}

/**
 * Detects every feature: pre-flight for base64; the OpenAPI (when served) for which routes exist; then a try of each
 * route that exists, on a collection of the scope where one is needed (search with no searches, indexing status,
 * fork count: reads only), else on the nil id.
 */
export async function detectCapabilities(src: CapabilitySource): Promise<ServerCapabilities> {
  const [pre, api, scope, version] = await Promise.all([settle(src.preflight()), settle(src.openApi()), settle(src.scope()), settle(src.version())]);
  const p: Probe = {
    src,
    routes: api.ok ? api.value : undefined,
    scope: scope.ok ? scope.value : undefined,
    reported: version.ok && typeof version.value === 'string' ? version.value : undefined,
  };
  const sample = p.scope ? await settle(src.sampleCollection(p.scope)) : undefined;
  p.sampled = sample?.ok ? sample.value : undefined;
  const [databases, listMetadata, search, indexingStatus, fork] = await Promise.all([
    databasesCapability(p),
    listMetadataCapability(p),
    triedCapability(p, 'POST', '/search', { searches: [] }),
    triedCapability(p, 'GET', '/indexing_status'),
    forkCapability(p),
  ]);
  return {
    features: {
      base64: base64Capability(pre),
      databases,
      listMetadata,
      schema: schemaCapability(p),
      indexingStatus,
      search,
      fork,
      functions: functionsCapability(p),
    },
    openApi: p.routes !== undefined,
    singleNode: p.singleNode,
    version: p.reported,
  };
}

/** 0.x servers report their own version; every 1.x one reports "1.0.0". */
const LEGACY_VERSION = /^0\.\d+/;

/** What the nil-id add with a list value says: a missing collection means the list was read; a refused body that it was not. */
function listAnswer(error: unknown): Capability {
  if (error instanceof ChromaNotFoundError && error.serverKind) {
    return { support: 'yes', how: 'a list value passed its checks (tried on a collection that cannot exist)' };
  }
  if (error instanceof ChromaInvalidArgumentError) {
    return no(`it refused a list value: ${answerText(error, 80)}`);
  }
  return error === undefined ? unknown('the try answered without an error') : capabilityFromAnswer(error);
}

/** Capabilities with what use has taught since detection laid over them. */
export function withLearnt(caps: ServerCapabilities, learnt: Partial<Record<Feature, Capability>>): ServerCapabilities {
  return Object.keys(learnt).length === 0 ? caps : { ...caps, features: { ...caps.features, ...learnt } };
}

/** The features that are supported, as labels: for one-line summaries. */
export function supportedLabels(caps: ServerCapabilities): string[] {
  return FEATURES.filter((f) => caps.features[f].support === 'yes').map((f) => FEATURE_LABELS[f]);
}
