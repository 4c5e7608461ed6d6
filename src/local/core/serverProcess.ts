/**
 * One `chroma run` process we started: spawned on a free port of 127.0.0.1 with telemetry off, ready when its
 * heartbeat answers, its output kept as lines, watched by a watchdog so it never outlives us, stopped with SIGINT
 * then SIGKILL after a grace. Its exit is an event with code, signal, last line, and whether stop() asked for it.
 * It never restarts itself: a restart is the caller's explicit choice.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { Emitter } from '../../util/emitter';
import type { Subscription } from '../../util/emitter';
import { LocalServerError, errorText } from './errors';
import { answersHeartbeat } from './heartbeat';
import { LOCAL_HOST, launchSpec } from './launch';
import type { NodeRunner } from './launch';
import { LineRing, diagnose } from './output';
import type { Diagnosis } from './output';
import { freePort, portTaken } from './ports';
import type { ServerCommand } from './resolveServer';
import { Watchdog } from './watchdog';
import type { WatchdogKind } from './watchdog';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when stop() asked for it; false: it stopped unexpectedly. */
  requested: boolean;
  lastLine?: string;
  diagnosis?: Diagnosis;
}

export interface ProcessOptions {
  /** The data folder (absolute). */
  folder: string;
  command: Pick<ServerCommand, 'command' | 'args' | 'node'>;
  /** For messages, e.g. "./chroma" (default: the folder). */
  label?: string;
  /** A free one by default. */
  port?: number;
  runner?: NodeRunner;
  /** More environment for the server (ANONYMIZED_TELEMETRY is always False). */
  env?: Record<string, string>;
  /** How long to wait for the heartbeat (default 60 s). */
  startTimeoutMs?: number;
  /** From SIGINT to SIGKILL when stopping (default 5 s; SIGTERM comes half-way). */
  stopGraceMs?: number;
  /** Cancels the start: the process is stopped and start() throws a 'cancelled' error. */
  signal?: AbortSignal;
  /** Each line of output, as it comes (for a LogOutputChannel). */
  onLine?: (line: string) => void;
  /** How many last lines are kept (default 200). */
  keepLines?: number;
  /** 'none' only for callers that guarantee the stop themselves. */
  watchdog?: WatchdogKind | 'none';
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export class ChromaProcess {
  readonly startedAt = new Date();
  private readonly ring: LineRing;
  private readonly exited = new Emitter<ExitInfo>();
  private exitInfo?: ExitInfo;
  private stopRequested = false;
  private watchdog?: Watchdog;
  readonly whenExited: Promise<ExitInfo>;
  /** Fired once, when the process has exited and its output is read. */
  readonly onDidExit: (listener: (e: ExitInfo) => void) => Subscription = this.exited.event;

  private constructor(
    private readonly child: ChildProcess,
    readonly folder: string,
    readonly port: number,
    private readonly opts: ProcessOptions,
    /** What was run: the program and its arguments. */
    readonly argv: readonly string[],
  ) {
    this.ring = new LineRing(opts.keepLines ?? 200);
    const reader = (decoder: StringDecoder) => (chunk: Buffer) => {
      for (const line of this.ring.push(decoder.write(chunk))) {
        opts.onLine?.(line);
      }
    };
    child.stdout?.on('data', reader(new StringDecoder('utf8')));
    child.stderr?.on('data', reader(new StringDecoder('utf8')));
    this.whenExited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        for (const line of this.ring.flush()) {
          opts.onLine?.(line);
        }
        this.watchdog?.release();
        const lines = this.ring.last(50);
        this.exitInfo = { code, signal, requested: this.stopRequested, lastLine: this.ring.lastLine(), diagnosis: diagnose(lines) };
        resolve(this.exitInfo);
        this.exited.fire(this.exitInfo);
        this.exited.dispose();
      });
    });
  }

  /** Starts a server and resolves once its heartbeat answers. Throws LocalServerError with the reason and last lines. */
  static async start(opts: ProcessOptions): Promise<ChromaProcess> {
    const port = opts.port ?? (await freePort());
    if (opts.port !== undefined && (await portTaken(port))) {
      throw new LocalServerError(`Chroma did not start on ${opts.label ?? opts.folder}: the port is in use by another program (${LOCAL_HOST}:${port}).`, 'port-in-use');
    }
    const spec = launchSpec(opts.command, opts.folder, port, { runner: opts.runner, env: opts.env });
    const child = spawn(spec.command, spec.args, {
      cwd: existsSync(dirname(opts.folder)) ? dirname(opts.folder) : undefined,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      windowsVerbatimArguments: spec.windowsVerbatimArguments,
    });
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    if (child.pid === undefined) {
      const e = await spawnError;
      throw new LocalServerError(
        `Chroma did not start on ${opts.label ?? opts.folder}: ${opts.command.command} could not be run (${oneLine(errorText(e))}).`,
        'spawn',
      );
    }
    const proc = new ChromaProcess(child, opts.folder, port, opts, [spec.command, ...spec.args]);
    if (child.pid !== undefined && opts.watchdog !== 'none') {
      proc.watchdog = Watchdog.start(child.pid, { kind: opts.watchdog, graceMs: opts.stopGraceMs, runner: opts.runner });
    }
    try {
      await proc.waitReady();
    } catch (e) {
      await proc.stop();
      throw e;
    }
    return proc;
  }

  get url(): string {
    return `http://${LOCAL_HOST}:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get watchdogPid(): number | undefined {
    return this.watchdog?.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  lastLines(n?: number): string[] {
    return this.ring.last(n);
  }

  private failure(reason: string, kind: LocalServerError['kind']): LocalServerError {
    const label = this.opts.label ?? this.folder;
    const lines = this.ring.last(50);
    const d = diagnose(lines);
    const last = this.ring.lastLine();
    const text = d ? d.reason : last ? `${reason} (last output: ${oneLine(last)})` : reason;
    return new LocalServerError(`Chroma did not start on ${label}: ${text}.`, d?.kind ?? kind, lines);
  }

  private async waitReady(): Promise<void> {
    const timeoutMs = this.opts.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const started = Date.now();
    let pause = 10;
    for (;;) {
      if (this.opts.signal?.aborted) {
        throw new LocalServerError(`The start of Chroma on ${this.opts.label ?? this.folder} was cancelled.`, 'cancelled');
      }
      if (!this.running) {
        const e = this.exitInfo as ExitInfo;
        throw this.failure(`it exited with ${e.code !== null ? `code ${e.code}` : e.signal} before answering`, 'exited');
      }
      if (Date.now() > deadline) {
        throw this.failure(`it did not answer within ${Math.round(timeoutMs / 1000)} s`, 'timeout');
      }
      const answered = await Promise.race([answersHeartbeat(this.url, { signal: this.opts.signal }), this.whenExited.then(() => false)]);
      if (answered && this.running) {
        return;
      }
      // Every 20 ms while a start is usual (a refused connection costs ~1 ms), then every 100 ms.
      await Promise.race([new Promise((r) => setTimeout(r, pause)), this.whenExited]);
      pause = Date.now() - started < 10_000 ? 20 : 100;
    }
  }

  /**
   * Stops the server: SIGINT (Chroma's Ctrl-C, quick on every version), SIGTERM half-way through the grace, SIGKILL
   * at its end. Resolves with the exit; at once if it had already exited.
   */
  async stop(): Promise<ExitInfo> {
    if (!this.running) {
      return this.exitInfo as ExitInfo;
    }
    this.stopRequested = true;
    const grace = this.opts.stopGraceMs ?? 5000;
    const send = (signal: NodeJS.Signals) => {
      if (this.running) {
        try {
          this.child.kill(signal);
        } catch {
          // already gone
        }
      }
    };
    send('SIGINT');
    const term = setTimeout(() => send('SIGTERM'), grace / 2);
    const kill = setTimeout(() => send('SIGKILL'), grace);
    try {
      return await this.whenExited;
    } finally {
      clearTimeout(term);
      clearTimeout(kill);
    }
  }
}
