/**
 * JSON.parse of a large body blocks its thread for about 10 ms per MB here (more than half a second for a 50 MB
 * get() answer): the extension host's thread, in VS Code. Bodies of OFF_THREAD_BYTES and more are parsed in a
 * worker_threads Worker instead, which sends the value back with its long number arrays packed into one transferred
 * buffer (a structured clone of the plain value would cost the calling thread as much as the parse). Where no worker
 * can start, the body is parsed here, as before. No `vscode` here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { unpackNumbers } from './jsonPacking';
import type { JsonWorkerReply } from './jsonWorker';

/** Bodies at least this large are parsed off the calling thread (a 2 MiB parse costs it ~20 ms here). */
export const OFF_THREAD_BYTES = 2 * 1024 * 1024;

/** The body is not JSON; the message is JSON.parse's. */
export class NotJson extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotJson';
  }
}

/** dist/jsonWorker.js beside the bundle, or out/src/chroma/jsonWorker.js beside this module in plain Node. */
const WORKER_FILE = join(__dirname, 'jsonWorker.js');
let workerFound: boolean | undefined;

function parseHere(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (e) {
    throw new NotJson(e instanceof Error ? e.message : String(e));
  }
}

/** The worker could not parse the body (it failed to start, or stopped); the body was not read. */
export class JsonWorkerFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonWorkerFailed';
  }
}

/** The worker's answer to one body, or the signal's reason when it aborts first. */
function ask(worker: Worker, bytes: Uint8Array, signal: AbortSignal | undefined): Promise<JsonWorkerReply> {
  return new Promise<JsonWorkerReply>((resolve, reject) => {
    const onAbort = () => reject(signal?.reason);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    worker.once('message', (reply: JsonWorkerReply) => (done(), resolve(reply)));
    worker.once('error', (e: Error) => (done(), reject(new JsonWorkerFailed(e.message))));
    worker.once('exit', (code) => (done(), reject(new JsonWorkerFailed(`it stopped (exit ${code})`))));
    // The whole buffer moves when the bytes are all of it (no copy); a view of a larger one is copied.
    const whole = bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.byteLength === bytes.buffer.byteLength;
    worker.postMessage(bytes, whole ? [bytes.buffer as ArrayBuffer] : []);
  });
}

/**
 * Parses a body of JSON: in a worker when it is large. `bytes` may be detached afterwards (moved to the worker).
 * Rejects with NotJson, JsonWorkerFailed, or the signal's reason when it aborts first (the worker is stopped).
 */
export async function parseJsonBytes(bytes: Uint8Array, signal?: AbortSignal): Promise<unknown> {
  workerFound ??= existsSync(WORKER_FILE);
  if (bytes.byteLength < OFF_THREAD_BYTES || !workerFound) {
    return parseHere(bytes);
  }
  const worker = new Worker(WORKER_FILE);
  worker.unref();
  try {
    const reply = await ask(worker, bytes, signal);
    if (reply.ok) {
      return await unpackNumbers(reply.tree);
    }
    if ('giveBack' in reply) {
      return parseHere(reply.giveBack);
    }
    throw new NotJson(reply.message);
  } finally {
    void worker.terminate();
  }
}
