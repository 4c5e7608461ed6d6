/**
 * Projects embeddings to 2-D (PCA, or UMAP on request) in a worker_threads Worker, so the extension host's thread
 * stays free: progress comes back as messages, and cancelling terminates the worker. No `vscode` here.
 */
import { Worker } from 'node:worker_threads';
import { asReply, requestProblem } from './projectionMessages';
import type { ProjectionMethod, ProjectionRequest } from './projectionMessages';

export type { ProjectionMethod } from './projectionMessages';

export interface ProjectionInput {
  vectors: Float32Array;
  n: number;
  dim: number;
  /** Rows placed on the same map without shaping it (the last query's vector). */
  extra?: Float32Array;
  method: ProjectionMethod;
}

export interface ProjectionOptions {
  /** The worker's compiled entry: dist/projectionWorker.js in the extension, out/…/projectionWorker.js in tests. */
  workerFile: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number, phase: string) => void;
}

export interface Projection {
  coords: Float32Array;
  extraCoords: Float32Array;
}

/** The projection failed; the message says why, in one line. */
export class ProjectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionError';
  }
}

/** The projection was cancelled through its signal. */
export class ProjectionCancelledError extends ProjectionError {
  constructor() {
    super('The projection was cancelled.');
    this.name = 'ProjectionCancelledError';
  }
}

const NAMES: Record<ProjectionMethod, string> = { pca: 'PCA', umap: 'UMAP' };

/**
 * The first `length` values as the worker should get them. Shared memory is shared, not copied (scanCollection's
 * vectors are shared); anything else is copied once into shared memory, which beats the structured clone a message
 * would make (~0.5 s against ~1.2 s for 100,000 × 384 here). Without SharedArrayBuffer, an array that owns exactly
 * its buffer is cloned (a view would send the whole buffer).
 */
function forWorker(values: Float32Array, length: number): Float32Array {
  if (typeof SharedArrayBuffer !== 'function') {
    return values.byteOffset === 0 && values.length === length && values.buffer.byteLength === length * 4 ? values : values.slice(0, length);
  }
  if (values.buffer instanceof SharedArrayBuffer) {
    return values.subarray(0, length);
  }
  const shared = new Float32Array(new SharedArrayBuffer(length * 4));
  shared.set(values.subarray(0, length));
  return shared;
}

/**
 * Runs the projection in a new worker and resolves to 2 coordinates per row (and per extra row). Rejects with a
 * ProjectionCancelledError when `signal` aborts (the worker is terminated at once), else a ProjectionError.
 * The input arrays are shared with the worker or copied to it, never detached, and the worker only reads them.
 */
export function project(input: ProjectionInput, opts: ProjectionOptions): Promise<Projection> {
  const request: ProjectionRequest = {
    vectors: input.vectors.length >= input.n * input.dim ? forWorker(input.vectors, input.n * input.dim) : input.vectors,
    n: input.n,
    dim: input.dim,
    extra: input.extra,
    method: input.method,
  };
  const problem = requestProblem(request);
  if (problem) {
    return Promise.reject(new ProjectionError(`Cannot project: ${problem}.`));
  }
  if (opts.signal?.aborted) {
    return Promise.reject(new ProjectionCancelledError());
  }
  const name = NAMES[input.method];
  return new Promise<Projection>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(opts.workerFile);
    } catch (e) {
      reject(new ProjectionError(`The ${name} worker could not start (${e instanceof Error ? e.message : String(e)}). Reinstall the extension.`));
      return;
    }
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) {
        return;
      }
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const onAbort = () => finish(() => reject(new ProjectionCancelledError()));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: unknown) => {
      const reply = asReply(message);
      if (!reply) {
        finish(() => reject(new ProjectionError(`The ${name} worker sent an unexpected message. Reinstall the extension.`)));
      } else if (reply.type === 'progress') {
        if (!settled) {
          opts.onProgress?.(reply.fraction, reply.phase);
        }
      } else if (reply.type === 'result') {
        if (reply.coords.length !== 2 * input.n) {
          finish(() => reject(new ProjectionError(`The ${name} worker returned ${reply.coords.length / 2} points for ${input.n}.`)));
        } else {
          finish(() => resolve({ coords: reply.coords, extraCoords: reply.extraCoords }));
        }
      } else {
        finish(() => reject(new ProjectionError(`${name} failed: ${reply.message}`)));
      }
    });
    worker.on('error', (e: unknown) => {
      const why = e instanceof Error ? e.message : String(e);
      finish(() => reject(new ProjectionError(`The ${name} worker failed (${why.split('\n')[0].slice(0, 200)}).`)));
    });
    worker.on('exit', (code) => {
      finish(() => reject(new ProjectionError(`The ${name} worker stopped before it finished (exit code ${code}).`)));
    });
    worker.postMessage(request);
  });
}
