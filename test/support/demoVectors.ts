/**
 * The demo's embedding server for when Chroma's default model cannot be had: the demo vectors (sampleData.ts's
 * hashed bag of words) behind the API of Hugging Face's text-embeddings-inference (`POST /embed` with
 * `{"inputs": [...]}`, answering a list of vectors), which Chroma's `huggingface_server` embedding function calls.
 * The demo's collections store that function with this server's URL, so a query embeds its text the same way the
 * records were embedded, in the extension and in Chroma's own clients alike. Listens on 127.0.0.1 only; bounded
 * request size; nothing is kept.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoEmbedding } from './sampleData';

const MAX_BODY = 8 * 1024 * 1024;
const MAX_INPUTS = 4096;

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Over the bound: the rest is read and dropped, so the client still gets the answer that says why.
      if (size <= MAX_BODY) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `{"inputs": "text"}` or `{"inputs": ["text", …]}` → the texts, else why not. */
function inputsOf(text: string): string[] | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  const inputs = typeof body === 'object' && body !== null ? (body as { inputs?: unknown }).inputs : undefined;
  const list = typeof inputs === 'string' ? [inputs] : inputs;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    return '"inputs" must be a string or a list of strings';
  }
  if (list.length === 0 || list.length > MAX_INPUTS) {
    return `"inputs" must hold 1 to ${MAX_INPUTS} texts`;
  }
  return list as string[];
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/embed') {
    answer(res, 404, { error: `no ${path.slice(0, 100)} here: POST /embed`, error_type: 'NotFound' });
    return;
  }
  if (req.method !== 'POST') {
    answer(res, 405, { error: 'POST /embed with {"inputs": [...]}', error_type: 'Validation' });
    return;
  }
  const text = await readBody(req);
  if (text === undefined) {
    answer(res, 413, { error: `the body is over ${MAX_BODY} bytes`, error_type: 'Validation' });
    return;
  }
  const inputs = inputsOf(text);
  if (typeof inputs === 'string') {
    answer(res, 422, { error: inputs, error_type: 'Validation' });
    return;
  }
  answer(res, 200, inputs.map((t) => demoEmbedding(t)));
}

export class DemoVectorsServer {
  private constructor(private readonly server: Server) {}

  /** Listens on 127.0.0.1:`port` (0: any free port); rejects with EADDRINUSE when the port is taken. */
  static async start(port: number): Promise<DemoVectorsServer> {
    const server = createServer((req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) {
          answer(res, 500, { error: 'the request broke off', error_type: 'Backend' });
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new DemoVectorsServer(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The URL the collections' `huggingface_server` configuration names. */
  get url(): string {
    return `${this.origin}/embed`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
