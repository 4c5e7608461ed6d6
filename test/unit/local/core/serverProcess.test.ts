import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChromaClient } from '../../../../src/chroma';
import type { LocalServerError } from '../../../../src/local/core/errors';
import { ChromaProcess } from '../../../../src/local/core/serverProcess';
import type { ExitInfo } from '../../../../src/local/core/serverProcess';
import { serverKindFromEnv } from '../../../support/chromaServer';
import { PROJECT_ROOT, NEWEST_CLI, processesServing, roundTrip, serverCommandUnderTest, until, useTempDir } from './support';

describe(`ChromaProcess (real chroma run, ${serverKindFromEnv()})`, function () {
  this.timeout(120_000);
  const temp = useTempDir();

  it('starts on a free port of 127.0.0.1 with telemetry off, serves add/list/query, keeps its output, stops on request', async () => {
    const folder = join(temp(), 'chroma');
    const lines: string[] = [];
    const proc = await ChromaProcess.start({ folder, command: await serverCommandUnderTest(folder), onLine: (l) => lines.push(l) });
    assert.match(proc.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(proc.running);
    await roundTrip(proc.url, 'local-proc');
    const env = readFileSync(`/proc/${proc.pid}/environ`, 'utf8').split('\0');
    assert.ok(env.includes('ANONYMIZED_TELEMETRY=False'), 'telemetry is off in the server environment');
    assert.ok(lines.some((l) => l.includes('Listening on') || l.includes(String(proc.port))), lines.join('\n'));
    assert.deepEqual(await processesServing(folder), [proc.pid]);
    const exits: ExitInfo[] = [];
    proc.onDidExit((e) => exits.push(e));
    const exit = await proc.stop();
    assert.equal(exit.requested, true);
    assert.equal(proc.running, false);
    assert.deepEqual(exits, [exit]);
    assert.deepEqual(await processesServing(folder), []);
  });

  it('a server killed from outside exits unexpectedly, with its code or signal and last line; nothing starts it again', async () => {
    const folder = join(temp(), 'chroma');
    const proc = await ChromaProcess.start({ folder, command: await serverCommandUnderTest(folder) });
    const exited = new Promise<ExitInfo>((r) => proc.onDidExit(r));
    process.kill(proc.pid as number, 'SIGKILL');
    const exit = await exited;
    assert.equal(exit.requested, false);
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(exit.lastLine, 'the last line of output is kept');
    assert.deepEqual(await processesServing(folder), []);
    await assert.rejects(new ChromaClient({ url: proc.url, retries: 0 }).heartbeat({ timeoutMs: 1000 }));
  });

  it('a port already taken is said so, with no process started', async () => {
    const folder = join(temp(), 'chroma');
    const first = await ChromaProcess.start({ folder: join(temp(), 'other'), command: await serverCommandUnderTest(folder) });
    try {
      await assert.rejects(ChromaProcess.start({ folder, label: './chroma', port: first.port, command: await serverCommandUnderTest(folder) }), (e: LocalServerError) => {
        assert.equal(e.kind, 'port-in-use');
        assert.equal(e.message, `Chroma did not start on ./chroma: the port is in use by another program (127.0.0.1:${first.port}).`);
        return true;
      });
      assert.deepEqual(await processesServing(folder), []);
    } finally {
      await first.stop();
    }
  });

  it('a binding that needs a newer glibc is said in those words', async () => {
    // The newest binding run by this system's own loader (glibc 2.36): the real failure users on older systems see.
    const folder = join(temp(), 'chroma');
    await assert.rejects(ChromaProcess.start({ folder, label: './chroma', command: { command: NEWEST_CLI(), args: [], node: true } }), (e: LocalServerError) => {
      assert.equal(e.kind, 'binding');
      assert.equal(e.message, "Chroma did not start on ./chroma: the Chroma binding could not load: this system's glibc is older than it needs (GLIBC_2.38 not found).");
      return true;
    });
  });

  it('a start that never answers times out with the last output line, and the process is stopped', async () => {
    const folder = join(temp(), 'chroma');
    const script = join(PROJECT_ROOT, 'out', 'test', 'unit', 'local', 'core', 'silentServer.js');
    await assert.rejects(
      ChromaProcess.start({ folder, label: './chroma', startTimeoutMs: 1500, stopGraceMs: 1000, command: { command: script, args: [], node: true } }),
      (e: LocalServerError) => {
        assert.equal(e.kind, 'timeout');
        assert.equal(e.message, 'Chroma did not start on ./chroma: it did not answer within 2 s (last output: warming up, please wait).');
        return true;
      },
    );
    assert.deepEqual(await processesServing(folder), []);
  });

  it('a Chroma with only API v1 (Python 0.5.x) counts as up once it answers: the connection then names its version', async () => {
    const folder = join(temp(), 'chroma');
    const script = join(PROJECT_ROOT, 'out', 'test', 'unit', 'local', 'core', 'legacyChroma.js');
    const proc = await ChromaProcess.start({ folder, command: { command: script, args: [], node: true } });
    try {
      await assert.rejects(new ChromaClient({ url: proc.url, retries: 0 }).heartbeat(), /only speaks API v1: it is older than 0\.6/);
    } finally {
      await proc.stop();
    }
  });

  it('a command that cannot be run is said so', async () => {
    const folder = join(temp(), 'chroma');
    await assert.rejects(ChromaProcess.start({ folder, label: './chroma', command: { command: '/nonexistent/chroma', args: [], node: false } }), (e: LocalServerError) => {
      assert.equal(e.kind, 'spawn');
      assert.match(e.message, /^Chroma did not start on \.\/chroma: \/nonexistent\/chroma could not be run \(spawn \/nonexistent\/chroma ENOENT\)\.$/);
      return true;
    });
  });

  it('cancelling a start stops the process', async () => {
    const folder = join(temp(), 'chroma');
    const abort = new AbortController();
    const script = join(PROJECT_ROOT, 'out', 'test', 'unit', 'local', 'core', 'silentServer.js');
    const started = ChromaProcess.start({ folder, label: './chroma', signal: abort.signal, command: { command: script, args: [], node: true } });
    await until('the server process exists', async () => (await processesServing(folder)).length === 1);
    abort.abort();
    await assert.rejects(started, (e: LocalServerError) => {
      assert.equal(e.kind, 'cancelled');
      assert.equal(e.message, 'The start of Chroma on ./chroma was cancelled.');
      return true;
    });
    assert.deepEqual(await processesServing(folder), []);
  });

  for (const watchdog of ['sh', 'node'] as const) {
    it(`leaves no server behind when its parent is SIGKILLed (${watchdog} watchdog)`, async () => {
      const folder = join(temp(), 'chroma');
      const command = await serverCommandUnderTest(folder);
      const host = spawn(process.execPath, [join(PROJECT_ROOT, 'out', 'test', 'unit', 'local', 'core', 'hostProcess.js'), folder, JSON.stringify(command), watchdog], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      host.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await until('the child host reports its server ready', () => out.includes('ready'), 90_000);
      const servers = await processesServing(folder);
      assert.equal(servers.length, 1);
      const hostExit = new Promise((r) => host.once('exit', r));
      host.kill('SIGKILL');
      await hostExit;
      await until('no process serves the folder', async () => (await processesServing(folder)).length === 0);
    });
  }
});
