/**
 * Polls the heartbeat of the active connection: never two checks in flight, backoff while the server is down,
 * a slower pace (never a pause) while nobody is at the window, an immediate check on demand, and one on interaction
 * with the extension unless a check has just run. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { describeError, isAuthError } from '../../chroma/errors';
import { serverFacts } from '../../chroma/probe';
import type { ServerFacts } from '../../chroma/probe';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import { Emitter } from '../../util/emitter';
import { interactionCheckDue, nextPollDelay } from './schedule';


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

/** Time as the poller sees it; the real one by default, a hand-driven one in tests of the schedule. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface MonitorOptions {
  /** Poll interval in ms; 0 turns polling off (checks on demand still run). */
  intervalMs: () => number;
  target: () => Promise<Target | undefined>;
  clock?: Clock;
}

export class HeartbeatMonitor {
  private readonly changed = new Emitter<Health>();
  readonly onDidChange = this.changed.event;
  private current: Health = { state: 'none' };
  private inFlight?: Promise<Health>;
  private timer?: unknown;
  private failures = 0;
  private attended = true;
  private disposed = false;
  private lastStartedAt?: number;
  private lastEndedAt?: number;
  private readonly clock: Clock;
  private lastOkAt?: number;
  private lastFacts?: { key: string; facts: ServerFacts };
  /** Checks started, for tests and diagnostics. */
  checks = 0;

  constructor(private readonly opts: MonitorOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  get health(): Health {
    return this.current;
  }

  /** Whether a poll is scheduled (for tests and diagnostics): false while polling is off or nothing is connected. */
  get pollScheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Checks now (or joins the check under way) and re-arms the timer. */
  checkNow(): Promise<Health> {
    if (this.disposed) {
      return Promise.resolve(this.current);
    }
    if (!this.inFlight) {
      this.clearTimer();
      this.lastStartedAt = this.clock.now();
      this.inFlight = this.check().finally(() => {
        this.inFlight = undefined;
        this.lastEndedAt = this.clock.now();
        this.arm();
      });
    }
    return this.inFlight;
  }

  /**
   * The user did something with the extension (ran a command, opened or expanded the Chroma view, clicked the
   * status item): checks at once, unless polling is off, a check is under way, or one started moments ago (so a
   * burst of commands costs one check). Answers the check it started or joined, or the health as it is.
   */
  interacted(): Promise<Health> {
    if (this.inFlight) {
      return this.inFlight;
    }
    if (this.disposed || !interactionCheckDue(this.clock.now(), this.lastStartedAt, this.opts.intervalMs())) {
      return Promise.resolve(this.current);
    }
    return this.checkNow();
  }

  /**
   * Whether someone is at the window (focused, or used recently). Unattended, polling slows down (it never stops:
   * a browser's workbench can report itself unfocused while it is being used). Attended again, a check runs at once,
   * as for an interaction.
   */
  setAttended(attended: boolean): Promise<Health> {
    if (attended === this.attended) {
      return this.inFlight ?? Promise.resolve(this.current);
    }
    this.attended = attended;
    if (attended) {
      const check = this.interacted();
      this.reschedule();
      return check;
    }
    this.reschedule();
    return Promise.resolve(this.current);
  }

  /** The interval setting (or the pace) changed: re-arm, counting from the end of the last check. */
  reschedule(): void {
    if (!this.inFlight) {
      this.clearTimer();
      this.arm();
    }
  }

  private arm(): void {
    const interval = this.opts.intervalMs();
    if (this.disposed || interval <= 0 || this.current.state === 'none' || this.lastEndedAt === undefined) {
      return;
    }
    const due = this.lastEndedAt + nextPollDelay(interval, this.failures, this.attended);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.checkNow();
    }, Math.max(0, due - this.clock.now()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
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
