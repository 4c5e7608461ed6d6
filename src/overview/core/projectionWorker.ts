/**
 * The projection worker's entry (a worker_threads Worker; bundled on its own as dist/projectionWorker.js, umap-js
 * inside): one request in, progress messages, one result out with its buffers transferred. No `vscode` here.
 */
import { parentPort } from 'node:worker_threads';
import { pca2d } from './pca';
import { requestProblem } from './projectionMessages';
import type { ProjectionRequest, WorkerReply } from './projectionMessages';

/** Progress messages at most this often (UMAP reports per epoch, PCA per step). */
const PROGRESS_EVERY_MS = 100;

const port = parentPort;
if (port) {
  const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
  port.once('message', (request: unknown) => void answer(request));
  const answer = async (request: unknown): Promise<void> => {
    try {
      const problem = requestProblem(request);
      if (problem) {
        send({ type: 'error', message: `The projection request was refused: ${problem}.` });
        return;
      }
      const { vectors, n, dim, extra, method } = request as ProjectionRequest;
      let last = 0;
      let lastPhase = '';
      const onProgress = (fraction: number, phase: string) => {
        const now = Date.now();
        if (now - last >= PROGRESS_EVERY_MS || phase !== lastPhase) {
          last = now;
          lastPhase = phase;
          send({ type: 'progress', fraction, phase });
        }
      };
      // umap-js is loaded only for UMAP: a PCA worker starts ~0.1–0.2 s sooner.
      const run = method === 'umap' ? (await import('./umap.js')).umap2d : pca2d;
      const out = run(vectors, n, dim, extra, { onProgress });
      send({ type: 'result', coords: out.coords, extraCoords: out.extraCoords }, [out.coords.buffer as ArrayBuffer, out.extraCoords.buffer as ArrayBuffer]);
    } catch (e) {
      send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
}
