/**
 * A small reverse proxy on loopback in front of a real Chroma server, as deployments put nginx or a gateway in
 * front of it. Tests use it to see every request, to require a token, and to inject the answers a proxy gives
 * (401, 403, 413, 503) or a stall, while everything else reaches the real server.
 */
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  bodyBytes: number;
  body: string;
}

/**
 * What to do with a request: pass it on (now, after a delay, or once a promise settles), answer it here, or never
 * answer.
 */
export type ProxyDecision =
  | { action: 'pass' }
  | { action: 'respond'; status: number; body?: string; headers?: Record<string, string> }
  | { action: 'stall' }
  | { action: 'delay'; ms: number }
  | { action: 'hold'; until: Promise<unknown> }
  | { action: 'reset' };

export class TestProxy {
  readonly seen: SeenRequest[] = [];
  /** Requests being handled right now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  decide: (req: SeenRequest) => ProxyDecision = () => ({ action: 'pass' });
  /** Called when the server's answer to a passed (or delayed) request starts, with its status. */
  onAnswer?: (req: SeenRequest, status: number) => void;
  private readonly stalled = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
  ) {}

  static async start(targetUrl: string): Promise<TestProxy> {
    const server = createServer();
    const proxy = new TestProxy(server, new URL(targetUrl));
    server.on('request', (req, res) => proxy.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.seen.length = 0;
    this.maxInFlight = 0;
    this.decide = () => ({ action: 'pass' });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        bodyBytes: body.length,
        body: body.length < 1_000_000 ? body.toString('utf8') : '',
      };
      this.seen.push(seen);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => this.inFlight--);
      const decision = this.decide(seen);
      switch (decision.action) {
        case 'respond':
          res.writeHead(decision.status, { 'content-type': 'application/json', ...decision.headers });
          res.end(decision.body ?? '');
          return;
        case 'stall':
          this.stalled.add(res);
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'delay':
          setTimeout(() => this.forward(req, body, res, seen), decision.ms);
          return;
        case 'hold': {
          const go = () => this.forward(req, body, res, seen);
          void decision.until.then(go, go);
          return;
        }
        case 'pass':
          this.forward(req, body, res, seen);
      }
    });
  }

  private forward(req: IncomingMessage, body: Buffer, res: ServerResponse, seen: SeenRequest): void {
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: this.target.host };
    delete headers['x-chroma-token'];
    delete headers.authorization;
    const upstream = request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers },
      (up) => {
        this.onAnswer?.(seen, up.statusCode ?? 502);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/html' });
      }
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    upstream.end(body);
  }

  async stop(): Promise<void> {
    for (const res of this.stalled) {
      res.destroy();
    }
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** A decision function that lets through only requests carrying the expected credential. */
export function requireHeader(name: string, value: string): (req: SeenRequest) => ProxyDecision {
  return (req) =>
    req.headers[name.toLowerCase()] === value
      ? { action: 'pass' }
      : {
          action: 'respond',
          status: 401,
          body: JSON.stringify({ error: 'AuthError', message: 'Unauthorized' }),
        };
}
