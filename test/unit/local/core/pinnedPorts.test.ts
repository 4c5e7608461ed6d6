/**
 * Save as Connection pins the folder's port (pinnedPorts.ts, LocalServers.pinPort): the saved URL keeps answering
 * after the folder's server stops and starts again, restarts, or is started by another window. Real servers.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { ChromaClient } from '../../../../src/chroma';
import { LocalServers } from '../../../../src/local/core/localServers';
import { PinnedPorts } from '../../../../src/local/core/pinnedPorts';
import { folderKey } from '../../../../src/local/core/serverRegistry';
import { serverKindFromEnv } from '../../../support/chromaServer';
import { roundTrip, serverCommandUnderTest, useTempDir } from './support';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

describe(`pinned ports: a folder saved as a connection keeps its port (real chroma run, ${serverKindFromEnv()})`, function () {
  this.timeout(120_000);
  const temp = useTempDir();
  const toDispose: LocalServers[] = [];
  afterEach(async () => {
    await Promise.all(toDispose.splice(0).map((s) => s.dispose()));
  });
  function servers(storageDir: string): LocalServers {
    const s = new LocalServers({ storageDir, attachedPollMs: 100, stopGraceMs: 3000 });
    toDispose.push(s);
    return s;
  }

  it('after pinPort the folder starts on that port again: stop and start, restart, and another window', async () => {
    const storage = temp();
    const folder = await folderKey(temp());
    const command = await serverCommandUnderTest(folder);
    const s = servers(storage);
    await assert.rejects(s.pinPort(folder), /is not running: start it, then save it as a connection\.$/);
    const first = await s.start(folder, { command, label: './chroma' });
    await roundTrip(first.url, 'pinned');
    assert.equal(await s.pinPort(folder), first.port);

    await s.stop(folder);
    const second = await s.start(folder, { command, label: './chroma' });
    assert.equal(second.url, first.url, 'started again on the pinned port');
    assert.notEqual(second.pid, first.pid);
    const restarted = await s.restart(folder);
    assert.equal(restarted.url, first.url, 'restarted on the pinned port');
    await s.stop(folder);

    const otherWindow = servers(storage);
    const third = await otherWindow.start(folder, { command, label: './chroma' });
    assert.equal(third.url, first.url, 'another window starts it on the pinned port');
    const names = (await new ChromaClient({ url: first.url }).listCollections()).map((c) => c.name);
    assert.deepEqual(names, ['pinned'], 'the saved URL reaches the folder');
    await otherWindow.stop(folder);
  });

  it('a pinned port another program holds: the start fails and says which port and what to do; unpinned it starts elsewhere', async () => {
    const storage = temp();
    const folder = await folderKey(temp());
    const command = await serverCommandUnderTest(folder);
    const s = servers(storage);
    const first = await s.start(folder, { command, label: './chroma' });
    await s.pinPort(folder);
    await s.stop(folder);
    const holder = await listen(first.port);
    try {
      await assert.rejects(
        s.start(folder, { command, label: './chroma' }),
        (e: Error) => {
          assert.equal(
            e.message,
            `Chroma did not start on ./chroma: the port is in use by another program (127.0.0.1:${first.port}). The folder was saved as a connection on that port, so its server starts only there: close the program that holds port ${first.port}, then start again.`,
          );
          return true;
        },
      );
      assert.equal(s.status(folder).state, 'not-running');
      await s.pinnedPorts.unpin(folder);
      const elsewhere = await s.start(folder, { command, label: './chroma' });
      assert.notEqual(elsewhere.port, first.port);
      await s.stop(folder);
    } finally {
      holder.close();
    }
  });

  it('the pins file: one port per folder, shared by readers of the same file; damaged entries are ignored', async () => {
    const file = join(temp(), 'pinned-ports.json');
    const a = new PinnedPorts(file);
    assert.equal(await a.get('/data/a'), undefined, 'no file: nothing pinned');
    await a.pin('/data/a', 8123);
    await a.pin('/data/b', 8124);
    await a.pin('/data/a', 8125);
    const b = new PinnedPorts(file);
    assert.equal(await b.get('/data/a'), 8125);
    assert.equal(await b.get('/data/b'), 8124);
    await b.unpin('/data/b');
    assert.equal(await a.get('/data/b'), undefined);
    await assert.rejects(a.pin('/data/c', 70000), /not a TCP port: 70000/);
    writeFileSync(file, JSON.stringify({ '/data/a': 'x', '/data/b': 8.5, '/data/c': -1, '/data/d': 9000 }));
    assert.deepEqual([await a.get('/data/a'), await a.get('/data/b'), await a.get('/data/c'), await a.get('/data/d')], [undefined, undefined, undefined, 9000]);
    writeFileSync(file, '[not json');
    assert.equal(await a.get('/data/d'), undefined);
  });
});
