/**
 * No server outlives the extension host, even one that is SIGKILLed (then deactivate() never runs). A watchdog
 * process is started beside each server with a pipe from us as its stdin. The kernel closes that pipe when we die,
 * however we die; the watchdog reads end-of-file and stops the server (SIGINT, then SIGKILL after a grace: the
 * newest Chroma ignores SIGTERM, and SIGINT stops both in well under a second). When the server ends normally we
 * write `release` and it exits without touching anything, so a reused PID is never signalled.
 *
 * It starts in parallel with the server, not in front of it: the server's start is not delayed, and the pipe exists
 * from the spawn on, so a death before the watchdog runs is still seen as end-of-file. On POSIX the watchdog is
 * `/bin/sh` (a few hundred KiB, ~2 ms); on Windows, or by request, a Node script run by the Node runner.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { defaultNodeRunner } from './launch';
import type { NodeRunner } from './launch';

export type WatchdogKind = 'sh' | 'node';

const SH_SCRIPT = [
  'read -r line || line=',
  '[ "$line" = release ] && exit 0',
  'kill -INT "$1" 2>/dev/null || exit 0',
  'n=0',
  'while kill -0 "$1" 2>/dev/null; do',
  '  if [ "$n" -ge "$2" ]; then kill -KILL "$1" 2>/dev/null; exit 0; fi',
  '  n=$((n+1)); sleep 0.1',
  'done',
].join('\n');

const NODE_SCRIPT = `
const [pid, tenths] = process.argv.slice(-2).map(Number);
let input = '';
process.stdin.on('data', (d) => { input += d; if (input.includes('release')) process.exit(0); });
process.stdin.on('end', () => {
  try { process.kill(pid, 'SIGINT'); } catch { process.exit(0); }
  let n = 0;
  setInterval(() => {
    try { process.kill(pid, 0); } catch { process.exit(0); }
    if (++n > tenths) { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); }
  }, 100);
});
`;

export interface WatchdogOptions {
  kind?: WatchdogKind;
  /** How long after SIGINT it waits before SIGKILL (default 5 s). */
  graceMs?: number;
  runner?: NodeRunner;
}

export function defaultWatchdogKind(): WatchdogKind {
  return process.platform === 'win32' ? 'node' : 'sh';
}

export class Watchdog {
  private released = false;
  private constructor(private readonly child: ChildProcess) {}

  /** Watches `pid` on behalf of this process. */
  static start(pid: number, opts: WatchdogOptions = {}): Watchdog {
    const tenths = String(Math.ceil((opts.graceMs ?? 5000) / 100));
    const kind = opts.kind ?? defaultWatchdogKind();
    const runner = opts.runner ?? defaultNodeRunner();
    const child =
      kind === 'sh'
        ? spawn('/bin/sh', ['-c', SH_SCRIPT, 'chroma-watchdog', String(pid), tenths], { stdio: ['pipe', 'ignore', 'ignore'] })
        : spawn(runner.command, [...runner.args, '-e', NODE_SCRIPT, String(pid), tenths], {
            stdio: ['pipe', 'ignore', 'ignore'],
            env: { ...process.env, ...runner.env },
            windowsHide: true,
          });
    child.on('error', () => undefined); // no /bin/sh: the server still runs, unwatched
    const stdin = child.stdin as Writable & { unref?: () => void };
    stdin.on('error', () => undefined);
    // Neither keeps this process alive.
    child.unref();
    stdin.unref?.();
    return new Watchdog(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The server ended or was stopped by us: the watchdog exits and signals nothing. */
  release(): void {
    if (this.released) {
      return;
    }
    this.released = true;
    const stdin = this.child.stdin;
    if (stdin && !stdin.destroyed) {
      stdin.end('release\n');
    }
  }
}
