/**
 * The messages between the Collection Overview panel (extension host) and its webview, in both directions, with
 * their shapes written once as data (SCHEMA). Both sides check every message against it before acting, with one
 * checker (messageCheck.ts): the host imports this module, and so does the page (src/overview/webview/, bundled by
 * esbuild.mjs with this module in it). A message that does not fit is dropped. The webview
 * never sends ids, keys or values back: it names things by their index in what the host sent, so a hostile page
 * cannot make the host act on a record or value of its choosing. No `vscode` here.
 */

import { validate } from './messageCheck';
import type { ObjSchema, Schema } from './messageCheck';

export type { Schema };

/** Limits, so that one message can never be larger than the panel can show. */
export const LIMITS = {
  /** Records an overview reads at most (also the largest point index). */
  maxPoints: 1_000_000,
  /** A label: an id, a key, a value, a title. */
  label: 200,
  /** A document snippet in the map's hover. */
  snippet: 500,
  /** A fact's text (the configuration as JSON). */
  fact: 20_000,
  /** A status line, an error. */
  text: 2_000,
  facets: 500,
  topValues: 50,
  bins: 200,
  findings: 50,
  examples: 20,
  legend: 32,
  /** Points per `points` message: 20,000 × 8 bytes as base64 is about 213 KB. */
  pointsPerChunk: 20_000,
  probeText: 200_000,
} as const;

const str = (max: number = LIMITS.label): Schema => ({ t: 'str', max });
const int = (min = 0, max = Number.MAX_SAFE_INTEGER): Schema => ({ t: 'int', min, max });
const count = int();
const index = int(0, LIMITS.maxPoints - 1);
const num: Schema = { t: 'num' };
const bool: Schema = { t: 'bool' };
const arr = (of: Schema, max: number, min = 0): Schema => ({ t: 'arr', of, max, min });
const obj = (props: Record<string, Schema>, opt: string[] = []): ObjSchema => ({ t: 'obj', props, opt });

const METHODS = ['pca', 'umap'] as const;
export type Method = (typeof METHODS)[number];
const PHASES = ['scan', 'facets', 'health', 'project', 'done'] as const;
export type Phase = (typeof PHASES)[number];
const SECTIONS = ['overview', 'map'] as const;
/** How legend entries are coloured: one colour per value, or a ramp over ordered bins. */
const SCALES = ['category', 'sequential'] as const;
export type Scale = (typeof SCALES)[number];
export type Section = (typeof SECTIONS)[number];

// ---- host → webview ----

export interface FactView {
  label: string;
  value: string;
  /** Shown as a preformatted block (JSON). */
  block?: boolean;
}

export interface FacetView {
  key: string;
  present: number;
  types: { string: number; number: number; boolean: number; array: number; other: number };
  top: { label: string; count: number }[];
  histogram?: { min: number; max: number; bins: number[] };
  /** Distinct values (at least this many when `capped`). */
  distinct: number;
  capped: boolean;
}

export interface FindingView {
  kind: string;
  title: string;
  count: number;
  examples: string[];
  detail?: string;
}

export interface LegendEntry {
  label: string;
  count: number;
}

export type ToWebview =
  | { type: 'init'; title: string; facts: FactView[]; sampleSize: number; canExport: boolean }
  | { type: 'progress'; phase: Phase; fraction: number; text: string; cancellable: boolean }
  | { type: 'scanned'; total: number; read: number; sampled: boolean; dim: number }
  | { type: 'facets'; facets: FacetView[] }
  | { type: 'health'; findings: FindingView[] }
  /** A chunk of a projection: `coords` is base64 of float32 x,y pairs (little-endian) for points offset…. */
  | { type: 'points'; method: Method; n: number; offset: number; coords: string }
  /** Each point's colour: base64 of one byte per point, an index into `legend` (255: no value; `missing` of them). */
  | { type: 'colors'; key: string | null; scale: Scale; legend: LegendEntry[]; missing: number; codes: string }
  /** The last query on this collection: its hits (point indices) and its own projected position. */
  | { type: 'highlight'; label: string; hits: number[]; missing: number; query: number[] | null }
  | { type: 'pointInfo'; index: number; id: string; document: string | null }
  | { type: 'error'; text: string }
  | { type: 'reveal'; section: Section }
  /** Asks the page to report what it shows (tests read the answer). */
  | { type: 'probe'; point: number | null };

// ---- webview → host ----

export type ToHost =
  | { type: 'ready' }
  /** Read the collection again (a sample of the configured size). */
  | { type: 'rescan' }
  | { type: 'scanAll' }
  | { type: 'cancel' }
  | { type: 'project'; method: Method }
  /** Colour by the facet at this index (-1: none). */
  | { type: 'colorBy'; facet: number }
  | { type: 'filter'; facet: number; value: number }
  | { type: 'openPoint'; index: number }
  | { type: 'openExample'; finding: number; example: number }
  | { type: 'pointInfo'; index: number }
  | { type: 'copyIds'; indices: number[] }
  | { type: 'exportSelection'; indices: number[] }
  /** What the page shows after drawing: records counted, facets, findings and points drawn. */
  | { type: 'status'; records: number; facets: number; findings: number; points: number }
  | { type: 'probeReport'; pwned: boolean; foreign: number; text: string };

type Shapes<M extends { type: string }> = { [K in M['type']]: ObjSchema };

const facetView = obj(
  {
    key: str(),
    present: count,
    types: obj({ string: count, number: count, boolean: count, array: count, other: count }),
    top: arr(obj({ label: str(), count }), LIMITS.topValues),
    histogram: obj({ min: num, max: num, bins: arr(count, LIMITS.bins) }),
    distinct: count,
    capped: bool,
  },
  ['histogram'],
);

const toWebview: Shapes<ToWebview> = {
  init: obj({ type: str(), title: str(), facts: arr(obj({ label: str(), value: str(LIMITS.fact), block: bool }, ['block']), 50), sampleSize: count, canExport: bool }),
  progress: obj({ type: str(), phase: { t: 'enum', of: PHASES }, fraction: num, text: str(LIMITS.text), cancellable: bool }),
  scanned: obj({ type: str(), total: count, read: count, sampled: bool, dim: count }),
  facets: obj({ type: str(), facets: arr(facetView, LIMITS.facets) }),
  health: obj({
    type: str(),
    findings: arr(obj({ kind: str(), title: str(LIMITS.text), count, examples: arr(str(), LIMITS.examples), detail: str(LIMITS.text) }, ['detail']), LIMITS.findings),
  }),
  points: obj({ type: str(), method: { t: 'enum', of: METHODS }, n: int(0, LIMITS.maxPoints), offset: int(0, LIMITS.maxPoints), coords: { t: 'b64', max: Math.ceil((LIMITS.pointsPerChunk * 8) / 3) * 4 } }),
  colors: obj({ type: str(), key: { t: 'null', of: str() }, scale: { t: 'enum', of: SCALES }, legend: arr(obj({ label: str(), count }), LIMITS.legend), missing: count, codes: { t: 'b64', max: Math.ceil(LIMITS.maxPoints / 3) * 4 } }),
  highlight: obj({ type: str(), label: str(), hits: arr(index, 10_000), missing: count, query: { t: 'null', of: arr(num, 2, 2) } }),
  pointInfo: obj({ type: str(), index, id: str(), document: { t: 'null', of: str(LIMITS.snippet) } }),
  error: obj({ type: str(), text: str(LIMITS.text) }),
  reveal: obj({ type: str(), section: { t: 'enum', of: SECTIONS } }),
  probe: obj({ type: str(), point: { t: 'null', of: index } }),
};

const toHost: Shapes<ToHost> = {
  ready: obj({ type: str() }),
  rescan: obj({ type: str() }),
  scanAll: obj({ type: str() }),
  cancel: obj({ type: str() }),
  project: obj({ type: str(), method: { t: 'enum', of: METHODS } }),
  colorBy: obj({ type: str(), facet: int(-1, LIMITS.facets - 1) }),
  filter: obj({ type: str(), facet: int(0, LIMITS.facets - 1), value: int(0, LIMITS.topValues - 1) }),
  openPoint: obj({ type: str(), index }),
  openExample: obj({ type: str(), finding: int(0, LIMITS.findings - 1), example: int(0, LIMITS.examples - 1) }),
  pointInfo: obj({ type: str(), index }),
  copyIds: obj({ type: str(), indices: arr(index, LIMITS.maxPoints) }),
  exportSelection: obj({ type: str(), indices: arr(index, LIMITS.maxPoints) }),
  status: obj({ type: str(), records: count, facets: count, findings: count, points: count }),
  probeReport: obj({ type: str(), pwned: bool, foreign: count, text: str(LIMITS.probeText) }),
};

/** Both directions' shapes, keyed by message type. */
export const SCHEMA = { toWebview, toHost } as const;

/** A message from the webview, if it has one of the known shapes; undefined (drop it) otherwise. */
export function validateToHost(msg: unknown): ToHost | undefined {
  return validate<ToHost>(toHost, msg);
}

/** A message for the webview, checked the way the webview checks it (the panel checks before it posts, too). */
export function validateToWebview(msg: unknown): ToWebview | undefined {
  return validate<ToWebview>(toWebview, msg);
}
