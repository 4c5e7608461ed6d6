/**
 * The JSON worker's entry (a worker_threads Worker; bundled on its own as dist/jsonWorker.js, beside the extension's
 * bundle, and compiled beside this file for plain Node): one body's bytes in, parsed and packed (jsonPacking.ts),
 * one answer out with its buffer transferred. No `vscode` here.
 */
import { parentPort } from 'node:worker_threads';
import { packNumbers } from './jsonPacking';

/**
 * What the worker answers: the packed value; why the body is not JSON; or, when the value cannot be posted (nesting
 * deeper than a structured clone goes), the bytes back, for the caller to parse itself.
 */
export type JsonWorkerReply = { ok: true; tree: unknown } | { ok: false; message: string } | { ok: false; giveBack: Uint8Array };

const port = parentPort;
if (port) {
  port.once('message', (bytes: unknown) => {
    if (!(bytes instanceof Uint8Array)) {
      port.postMessage({ ok: false, message: 'expected the body as bytes' } satisfies JsonWorkerReply);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    } catch (e) {
      port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) } satisfies JsonWorkerReply);
      return;
    }
    const { tree, buffer } = packNumbers(value);
    try {
      port.postMessage({ ok: true, tree } satisfies JsonWorkerReply, buffer ? [buffer] : []);
    } catch {
      port.postMessage({ ok: false, giveBack: bytes } satisfies JsonWorkerReply, [bytes.buffer as ArrayBuffer]);
    }
  });
}
