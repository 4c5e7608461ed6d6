/**
 * How a ServerCommand becomes a process: the program and arguments of `chroma run --path F --host 127.0.0.1
 * --port P`, a Node runner for JavaScript entries, and an environment with Chroma's telemetry off.
 */
import { extname } from 'node:path';
import type { ServerCommand } from './resolveServer';

/**
 * Runs a JavaScript file. Inside VS Code `process.execPath` is Electron, which behaves as Node with
 * ELECTRON_RUN_AS_NODE=1; in plain Node it is Node itself. Injectable so tests and hosts can choose another Node.
 */
export interface NodeRunner {
  command: string;
  /** Before the script, e.g. `--max-old-space-size=…`. */
  args: string[];
  env: Record<string, string>;
}

export function defaultNodeRunner(): NodeRunner {
  return { command: process.execPath, args: [], env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {} };
}

export interface LaunchSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Windows .cmd/.bat programs: the arguments are already quoted for cmd.exe. */
  windowsVerbatimArguments?: boolean;
}

export const LOCAL_HOST = '127.0.0.1';

export function runArgs(folder: string, port: number): string[] {
  return ['run', '--path', folder, '--host', LOCAL_HOST, '--port', String(port)];
}

/** cmd.exe's quoting for one argument (Windows paths cannot hold `"`). */
function cmdQuote(arg: string): string {
  return /[\s&|<>^()"%!]/.test(arg) || arg === '' ? `"${arg.replace(/"/g, '""')}"` : arg;
}

export function launchSpec(
  cmd: Pick<ServerCommand, 'command' | 'args' | 'node'>,
  folder: string,
  port: number,
  opts: { runner?: NodeRunner; env?: Record<string, string>; baseEnv?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {},
): LaunchSpec {
  const env: NodeJS.ProcessEnv = { ...(opts.baseEnv ?? process.env), ...opts.env, ANONYMIZED_TELEMETRY: 'False' };
  const tail = [...cmd.args, ...runArgs(folder, port)];
  if (cmd.node) {
    const runner = opts.runner ?? defaultNodeRunner();
    return { command: runner.command, args: [...runner.args, cmd.command, ...tail], env: { ...env, ...runner.env } };
  }
  if ((opts.platform ?? process.platform) === 'win32' && /^\.(cmd|bat)$/i.test(extname(cmd.command))) {
    const line = [cmd.command, ...tail].map(cmdQuote).join(' ');
    return { command: env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${line}"`], env, windowsVerbatimArguments: true };
  }
  return { command: cmd.command, args: tail, env };
}
