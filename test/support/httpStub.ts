/**
 * A small HTTP server on loopback that records every request and answers through a function the test sets: the
 * stand-in for hosts these machines cannot reach (embedding providers, an attacker's host, a redirect target).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or {} when it is empty or not JSON. */
  body: Record<string, unknown>;
  /** The body as sent (JSON.parse cannot tell 2.0 from 2; a Python server can). */
  raw: string;
}

export interface StubAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
}

export class HttpStub {
  readonly seen: StubRequest[] = [];
  answer: (req: StubRequest) => StubAnswer;

  private constructor(
    private readonly server: Server,
    answer: (req: StubRequest) => StubAnswer,
  ) {
    this.answer = answer;
  }

  static async start(answer: (req: StubRequest) => StubAnswer = () => ({ status: 404 })): Promise<HttpStub> {
    const server = createServer();
    const stub = new HttpStub(server, answer);
    server.on('request', (req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          // not JSON: recorded as {}
        }
        const seen: StubRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, raw };
        stub.seen.push(seen);
        const a = stub.answer(seen);
        const text = typeof a.body === 'string' ? a.body : a.body === undefined ? '' : JSON.stringify(a.body);
        res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
        res.end(text);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return stub;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Same as origin, for tests that read better with a URL. */
  get url(): string {
    return this.origin;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Answers an embeddings request in the shape of each provider's API (Ollama, OpenAI-compatible, Cohere, Gemini, TEI). */
export function embeddingsAnswer(req: StubRequest, vector: number[] = [0.1, 0.2, 0.3]): StubAnswer {
  const b = req.body;
  if (req.path === '/api/embed' && Array.isArray(b.input)) {
    return { body: { model: b.model, embeddings: b.input.map(() => vector) } };
  }
  if (Array.isArray(b.input)) {
    return { body: { data: b.input.map((_: unknown, index: number) => ({ index, embedding: vector })) } };
  }
  if (Array.isArray(b.texts)) {
    return { body: { embeddings: { float: b.texts.map(() => vector) } } };
  }
  if (Array.isArray(b.requests)) {
    return { body: { embeddings: b.requests.map(() => ({ values: vector })) } };
  }
  if (Array.isArray(b.inputs)) {
    return { body: b.inputs.map(() => vector) };
  }
  return { status: 400, body: { error: 'no input' } };
}
