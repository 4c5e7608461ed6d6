/** The messages between project() and its worker (projectionWorker.ts), checked on both sides. No `vscode` here. */

export type ProjectionMethod = 'pca' | 'umap';

export interface ProjectionRequest {
  vectors: Float32Array;
  n: number;
  dim: number;
  extra?: Float32Array;
  method: ProjectionMethod;
}

export type WorkerReply =
  | { type: 'progress'; fraction: number; phase: string }
  | { type: 'result'; coords: Float32Array; extraCoords: Float32Array }
  | { type: 'error'; message: string };

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The request's problem in one line, or undefined when it is well formed. */
export function requestProblem(value: unknown): string | undefined {
  const r = value as Partial<ProjectionRequest> | null;
  if (typeof r !== 'object' || r === null) {
    return 'the projection request is not an object';
  }
  if (r.method !== 'pca' && r.method !== 'umap') {
    return `unknown projection method ${JSON.stringify(String(r.method)).slice(0, 40)}`;
  }
  if (!isCount(r.n) || !isCount(r.dim)) {
    return 'the point count and dimension must be whole numbers ≥ 0';
  }
  if (!(r.vectors instanceof Float32Array) || r.vectors.length < r.n * r.dim) {
    return `expected ${r.n} × ${r.dim} float32 values`;
  }
  if (r.extra !== undefined && (!(r.extra instanceof Float32Array) || (r.dim > 0 && r.extra.length % r.dim !== 0))) {
    return `the extra points must be float32 rows of ${r.dim} values`;
  }
  return undefined;
}

/** The reply, or undefined when it is not one the worker sends. */
export function asReply(value: unknown): WorkerReply | undefined {
  const m = value as Partial<Record<string, unknown>> | null;
  if (typeof m !== 'object' || m === null) {
    return undefined;
  }
  if (m.type === 'progress' && typeof m.fraction === 'number' && typeof m.phase === 'string') {
    return { type: 'progress', fraction: Math.min(1, Math.max(0, m.fraction)), phase: m.phase };
  }
  if (m.type === 'result' && m.coords instanceof Float32Array && m.extraCoords instanceof Float32Array) {
    return { type: 'result', coords: m.coords, extraCoords: m.extraCoords };
  }
  if (m.type === 'error' && typeof m.message === 'string') {
    return { type: 'error', message: m.message };
  }
  return undefined;
}
