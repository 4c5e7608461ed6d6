/**
 * Polls the heartbeat of the active connection: never two checks in flight, backoff while the server is down,
 * paused while the window is unfocused, and an immediate check on demand. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { describeError, isAuthError } from '../../chroma/errors';
import { serverFacts } from '../../chroma/probe';
import type { ServerFacts } from '../../chroma/probe';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import { Emitter } from '../../util/emitter';
import { nextPollDelay } from './schedule';


export type Health =
  | { state: 'none' }
  | { state: 'checking'; connection: ConnectionConfig; last?: Health }
  | { state: 'healthy'; connection: ConnectionConfig; latencyMs: number; checkedAt: number; facts: ServerFacts }
  | { state: 'down'; connection: ConnectionConfig; message: string; since: number; lastOkAt?: number; facts?: ServerFacts }
  | { state: 'unauthorized'; connection: ConnectionConfig; message: string; lastOkAt?: number };

export interface Target {
  connection: ConnectionConfig;
  client: ChromaClient;
}

export interface MonitorOptions {
  /** Poll interval in ms; 0 turns polling off (checks on demand still run). */
  intervalMs: () => number;
  target: () => Promise<Target | undefined>;
}

export class HeartbeatMonitor {
  private readonly changed = new Emitter<Health>();
  readonly onDidChange = this.changed.event;
  private current: Health = { state: 'none' };
  private inFlight?: Promise<Health>;
  private timer?: ReturnType<typeof setTimeout>;
  private failures = 0;
  private paused = false;
  private disposed = false;
  private lastOkAt?: number;
  private lastFacts?: { key: string; facts: ServerFacts };
  /** Checks started, for tests and diagnostics. */
  checks = 0;

  constructor(private readonly opts: MonitorOptions) {}

  get health(): Health {
    return this.current;
  }

  /** Checks now (or joins the check under way) and re-arms the timer. */
  checkNow(): Promise<Health> {
    if (this.disposed) {
      return Promise.resolve(this.current);
    }
    if (!this.inFlight) {
      this.clearTimer();
      this.inFlight = this.check().finally(() => {
        this.inFlight = undefined;
        this.arm();
      });
    }
    return this.inFlight;
  }

  /** Stops polling (e.g. the window lost focus); a check under way still finishes. */
  pause(): void {
    this.paused = true;
    this.clearTimer();
  }

  /** Polls again, starting with an immediate check. */
  resume(): Promise<Health> {
    this.paused = false;
    return this.checkNow();
  }

  /** The interval setting changed: re-arm with the new value. */
  reschedule(): void {
    if (!this.inFlight) {
      this.clearTimer();
      this.arm();
    }
  }

  private arm(): void {
    const interval = this.opts.intervalMs();
    if (this.paused || this.disposed || interval <= 0 || this.current.state === 'none') {
      return;
    }
    this.timer = setTimeout(() => void this.checkNow(), nextPollDelay(interval, this.failures));
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private set(health: Health): Health {
    this.current = health;
    this.changed.fire(health);
    return health;
  }

  private async check(): Promise<Health> {
    this.checks++;
    const target = await this.opts.target();
    if (!target) {
      this.failures = 0;
      return this.set({ state: 'none' });
    }
    const { connection, client } = target;
    const key = JSON.stringify(connection);
    if (this.current.state === 'none' || ('connection' in this.current && JSON.stringify(this.current.connection) !== key)) {
      this.lastOkAt = undefined;
      this.set({ state: 'checking', connection });
    }
    try {
      const started = performance.now();
      await client.heartbeat({ retries: 0, timeoutMs: 10_000 });
      const latencyMs = performance.now() - started;
      // Version, limits and scope only when they may have changed: first contact, or after being down.
      let facts = this.lastFacts?.key === key && this.current.state === 'healthy' ? this.lastFacts.facts : undefined;
      if (!facts) {
        facts = await serverFacts(client);
        this.lastFacts = { key, facts };
      }
      this.failures = 0;
      this.lastOkAt = Date.now();
      return this.set({ state: 'healthy', connection, latencyMs, checkedAt: this.lastOkAt, facts });
    } catch (e) {
      this.failures++;
      const message = describeError(e);
      if (isAuthError(e)) {
        return this.set({ state: 'unauthorized', connection, message, lastOkAt: this.lastOkAt });
      }
      const since = this.current.state === 'down' && this.current.connection === connection ? this.current.since : Date.now();
      return this.set({
        state: 'down',
        connection,
        message,
        since,
        lastOkAt: this.lastOkAt,
        facts: this.lastFacts?.key === key ? this.lastFacts.facts : undefined,
      });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.changed.dispose();
  }
}
