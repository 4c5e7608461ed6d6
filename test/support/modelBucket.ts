/**
 * Stands in for Chroma's model bucket in tests: serves the tiny test model (test/fixtures/tiny-model, the layout of
 * Chroma's all-MiniLM-L6-v2 archive) on 127.0.0.1, with Range support, and can misbehave on demand.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from './chromaServer';

export const TINY_MODEL = join(PROJECT_ROOT, 'test', 'fixtures', 'tiny-model');
export const TINY_MODEL_SHA256 = readFileSync(join(TINY_MODEL, 'onnx.tar.gz.sha256'), 'utf8').trim();
const ARCHIVE = readFileSync(join(TINY_MODEL, 'onnx.tar.gz'));

/** The bucket: `mode` says how it answers the next requests; `requests` records their Range headers. */
export class ModelBucket {
  mode: 'ok' | 'corrupt' | 'break' | 'no-range' | 'slow' = 'ok';
  requests: Array<{ range?: string }> = [];
  /** In 'break' mode the connection is closed once this resolves (the test waits until the client wrote the bytes). */
  beforeBreak: () => Promise<void> = () => Promise.resolve();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<ModelBucket> {
    const server = createServer();
    const bucket = new ModelBucket(server);
    server.on('request', (req, res) => {
      const range = req.headers.range;
      bucket.requests.push({ range });
      let body = bucket.mode === 'corrupt' ? Buffer.concat([ARCHIVE.subarray(0, 100), Buffer.from('tampered'), ARCHIVE.subarray(108)]) : ARCHIVE;
      const m = /^bytes=(\d+)-$/.exec(range ?? '');
      if (m && bucket.mode !== 'no-range') {
        const start = Number(m[1]);
        if (start >= body.length) {
          res.writeHead(416);
          res.end();
          return;
        }
        body = body.subarray(start);
        res.writeHead(206, { 'content-length': body.length, 'content-range': `bytes ${start}-${ARCHIVE.length - 1}/${ARCHIVE.length}` });
      } else {
        res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/gzip' });
      }
      if (bucket.mode === 'break') {
        // 1000 of the announced bytes, then (once the test says the client has them) the connection is closed:
        // a body cut short after a known amount.
        res.write(body.subarray(0, 1000), () => void bucket.beforeBreak().then(() => res.socket?.end()));
        return;
      }
      if (bucket.mode === 'slow') {
        res.write(body.subarray(0, 500));
        return; // never finishes: the test cancels
      }
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return bucket;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/all-MiniLM-L6-v2/onnx.tar.gz`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

