import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChromaClient } from '../../../../src/chroma';
import { checkFolderBusy, describeHolder } from '../../../../src/local/core/busyFolder';
import type { BusyCheck } from '../../../../src/local/core/busyFolder';
import { LocalServers } from '../../../../src/local/core/localServers';
import { openDataFolder } from '../../../../src/local/core/openFolder';
import type { OpenFolderDeps } from '../../../../src/local/core/openFolder';
import { folderKey } from '../../../../src/local/core/serverRegistry';
import { createSnapshot, keepSnapshot, listSnapshots } from '../../../../src/local/core/snapshot';
import { ChromaServer, serverKindFromEnv } from '../../../support/chromaServer';
import { PROJECT_ROOT, hashTree, newestSetting, processesServing, useTempDir } from './support';

describe(`open a data folder that another process has open (real chroma run, ${serverKindFromEnv()})`, function () {
  this.timeout(120_000);
  const temp = useTempDir();

  it('detects the other process, serves a labelled snapshot with the same collections, deletes it on stop; the original is byte-identical', async () => {
    const ws = await folderKey(temp());
    const folder = join(ws, 'chroma');
    // Someone else's `chroma run` (a terminal they forgot about) holds the folder.
    const other = await ChromaServer.start({ path: folder });
    const servers = new LocalServers({ storageDir: temp() });
    try {
      const client = new ChromaClient({ url: other.url });
      await client.createCollection({ name: 'theirs' });
      await client.createCollection({ name: 'also-theirs' });
      const before = hashTree(folder);

      const busy = await checkFolderBusy(folder);
      assert.equal(busy.checked, true);
      assert.deepEqual(busy.checked && busy.holders.map((h) => h.pid), [other.pid]);
      assert.ok(busy.checked && describeHolder(busy.holders[0]).startsWith(`pid ${other.pid} (`));
      assert.match((busy.checked && busy.holders[0].command) || '', new RegExp(`run --path ${folder} `));

      const asked: BusyCheck[] = [];
      const deps: OpenFolderDeps = {
        servers,
        workspaceFolders: [ws],
        installDir: join(temp(), 'installs'),
        setting: serverKindFromEnv() === 'newest' ? newestSetting() : join(PROJECT_ROOT, 'node_modules', '.bin', 'chroma'),
        confirmInstall: () => Promise.reject(new Error('no install expected')),
        whenBusy: (check) => {
          asked.push(check);
          return Promise.resolve('snapshot');
        },
      };
      const opened = await openDataFolder(folder, deps);
      assert.equal(opened.outcome, 'running');
      assert.ok(opened.outcome === 'running');
      assert.equal(asked.length, 1, 'asked once what to do');
      assert.match(opened.label, /^snapshot of \.\/chroma, \d\d:\d\d$/);
      const snapshot = opened.server.snapshot;
      assert.ok(snapshot && opened.server.folder === snapshot.dataDir);
      assert.deepEqual(await processesServing(folder), [other.pid], 'nothing of ours runs on the original folder');
      const names = (await new ChromaClient({ url: opened.server.url }).listCollections()).map((c) => c.name).sort();
      assert.deepEqual(names, ['also-theirs', 'theirs']);
      await new ChromaClient({ url: opened.server.url }).createCollection({ name: 'only-in-the-snapshot' });
      assert.deepEqual((await listSnapshots(servers.snapshotsDir)).map((s) => s.label), [opened.label]);

      assert.equal(await servers.removeLeftoverSnapshots(), 0, 'a served snapshot is no leftover');
      await servers.stop(opened.server.folder);
      assert.equal(existsSync(snapshot.dir), false, 'the snapshot is deleted when its server stops');
      const left = await createSnapshot(folder, servers.snapshotsDir, { displayPath: './chroma' });
      const kept = await keepSnapshot(await createSnapshot(folder, servers.snapshotsDir, { displayPath: './chroma' }));
      assert.equal(await servers.removeLeftoverSnapshots(), 1, "a dead window's snapshot is a leftover; a kept one is not");
      assert.equal(existsSync(left.dir), false);
      assert.equal(existsSync(kept.dir), true);

      const second = await openDataFolder(folder, deps);
      assert.ok(second.outcome === 'running' && second.server.snapshot);
      assert.equal((await servers.keepSnapshot(second.server.folder))?.keep, true);
      await servers.stop(second.server.folder);
      assert.equal(existsSync(second.server.snapshot.dataDir), true, 'a kept snapshot outlives its server');
      assert.deepEqual((await listSnapshots(servers.snapshotsDir)).map((x) => x.keep), [true, true]);
      assert.deepEqual(hashTree(folder), before, 'the original folder is byte-identical');
      assert.deepEqual((await client.listCollections()).map((c) => c.name).sort(), ['also-theirs', 'theirs']);
    } finally {
      await servers.dispose();
      await other.stop();
    }
  });

  it('Cancel at the question starts nothing, Start Anyway starts beside the other process, a free folder is not asked about', async () => {
    const ws = await folderKey(temp());
    const folder = join(ws, 'chroma');
    const other = await ChromaServer.start({ path: folder });
    const servers = new LocalServers({ storageDir: temp() });
    let asked = 0;
    const deps: OpenFolderDeps = {
      servers,
      workspaceFolders: [ws],
      installDir: join(temp(), 'installs'),
      setting: serverKindFromEnv() === 'newest' ? newestSetting() : join(PROJECT_ROOT, 'node_modules', '.bin', 'chroma'),
      confirmInstall: () => Promise.resolve(false),
      whenBusy: () => {
        asked++;
        return Promise.resolve('cancel');
      },
    };
    try {
      assert.deepEqual(await openDataFolder(folder, deps), { outcome: 'cancelled' });
      assert.equal(asked, 1);
      assert.deepEqual(await processesServing(folder), [other.pid]);
      // Start Anyway (after the modal that names the other process): a second server on the same files.
      const anyway = await openDataFolder(folder, { ...deps, whenBusy: () => Promise.resolve('start-anyway') });
      assert.ok(anyway.outcome === 'running' && !anyway.server.snapshot);
      assert.deepEqual((await processesServing(folder)).sort(), [other.pid, anyway.server.pid].sort());
      await servers.stop(folder);
      await other.stop();
      const opened = await openDataFolder(folder, deps);
      assert.equal(opened.outcome === 'running' && opened.server.owned, true);
      assert.equal(opened.outcome === 'running' && opened.label, './chroma');
      assert.equal(asked, 1, 'a free folder is not asked about');
    } finally {
      await servers.dispose();
      await other.stop();
    }
    assert.deepEqual(await processesServing(folder), [], 'dispose stops what this window started');
  });
});
