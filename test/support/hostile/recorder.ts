/** Where the hostile server's redirects point: "somewhere else", which counts whatever reaches it. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSON_TYPE } from './types';

/** A plain server that answers 200 with a heartbeat and records every request that reaches it: "somewhere else". */
export class Recorder {
  readonly seen: Array<{ method: string; path: string; headers: IncomingMessage['headers']; bodyBytes: number }> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<Recorder> {
    const server = createServer();
    const recorder = new Recorder(server);
    server.on('request', (req, res) => {
      let bodyBytes = 0;
      req.on('data', (c: Buffer) => (bodyBytes += c.length));
      req.on('end', () => {
        recorder.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, bodyBytes });
        res.writeHead(200, JSON_TYPE);
        res.end(JSON.stringify({ 'nanosecond heartbeat': 1 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return recorder;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
