/** The hostile server itself: a local node:http server answering each request of a fuzz case with its case. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hostileCase } from './cases';
import { compressionBombs } from './garbage';
import { Recorder } from './recorder';
import { mixSeed } from './rng';
import { JSON_TYPE } from './types';
import type { Expect, HostileCase, HostileOptions, HostileRequest } from './types';

export interface ServedCase {
  label: string;
  expect: Expect;
  expectCode?: HostileCase['expectCode'];
  method: string;
  path: string;
}

/**
 * Serves hostile cases. A client addresses one fuzz case through its base URL: `${server.url}/c/<caseSeed>`. The
 * n-th request of that case is answered with `hostileCase(mixSeed(caseSeed, n), request)`, and recorded in
 * `served(caseSeed)`. Redirects point at the recorder.
 */
export class HostileServer {
  private readonly servedBySeed = new Map<number, ServedCase[]>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly recorder: Recorder,
    private readonly opts: HostileOptions,
    private readonly generate: (seed: number, req: HostileRequest, opts: HostileOptions) => HostileCase,
  ) {}

  static async start(
    opts: HostileOptions,
    generate: (seed: number, req: HostileRequest, opts: HostileOptions) => HostileCase = hostileCase,
  ): Promise<HostileServer> {
    compressionBombs(); // made up front: making them later would stall the event loop mid-run
    const server = createServer({ maxHeaderSize: 64 * 1024 });
    const hostile = new HostileServer(server, await Recorder.start(), opts, generate);
    server.on('connection', (socket) => {
      hostile.sockets.add(socket);
      socket.on('close', () => hostile.sockets.delete(socket));
    });
    server.on('request', (req, res) => hostile.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return hostile;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The base URL a client uses for one fuzz case. */
  caseUrl(caseSeed: number): string {
    return `${this.url}/c/${caseSeed >>> 0}`;
  }

  /** What was answered so far to the requests of a case, in order. */
  served(caseSeed: number): ServedCase[] {
    return this.servedBySeed.get(caseSeed >>> 0) ?? [];
  }

  forget(caseSeed: number): void {
    this.servedBySeed.delete(caseSeed >>> 0);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes < 16 * 1024 * 1024) {
        chunks.push(c);
      }
    });
    req.on('end', () => {
      const match = /^\/c\/(\d+)(\/.*)?$/.exec(req.url ?? '');
      if (!match) {
        res.writeHead(404, JSON_TYPE);
        res.end('{"detail":"Not Found"}');
        return;
      }
      const caseSeed = Number(match[1]) >>> 0;
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      const request: HostileRequest = { method: req.method ?? 'GET', path: match[2] ?? '/', body };
      const served = this.servedBySeed.get(caseSeed) ?? [];
      this.servedBySeed.set(caseSeed, served);
      const c = this.generate(mixSeed(caseSeed, served.length), request, this.opts);
      served.push({ label: c.label, expect: c.expect, expectCode: c.expectCode, method: request.method, path: request.path });
      this.answer(req, res, c, `/c/${caseSeed}`);
    });
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** `prefix`: the case's own path prefix, kept on redirects so the recorder can tell which case sent what. */
  private answer(req: IncomingMessage, res: ServerResponse, c: HostileCase, prefix: string): void {
    const socket = req.socket;
    if (c.raw) {
      socket.write(c.raw);
      if (!c.stall) {
        socket.end();
      }
      return;
    }
    if (c.stall) {
      return;
    }
    if (c.cutAfter === -1) {
      socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...c.headers };
    if (c.redirectPath !== undefined) {
      headers.location = `${this.recorder.url}${prefix}${c.redirectPath}`;
    }
    if (!headers['content-length'] && !headers['transfer-encoding']) {
      headers['content-length'] = String(c.body.length);
    }
    try {
      res.writeHead(c.status, headers);
    } catch {
      socket.destroy();
      return;
    }
    if (c.trickle) {
      const { bytes, everyMs } = c.trickle;
      let at = 0;
      const step = () => {
        if (res.destroyed || at >= c.body.length) {
          res.end();
          return;
        }
        res.write(c.body.subarray(at, at + bytes));
        at += bytes;
        this.later(everyMs, step);
      };
      step();
      return;
    }
    if (c.cutAfter !== undefined) {
      res.write(c.body.subarray(0, c.cutAfter));
      this.later(5, () => socket.destroy());
      return;
    }
    res.end(c.body);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
    await this.recorder.stop();
  }
}
