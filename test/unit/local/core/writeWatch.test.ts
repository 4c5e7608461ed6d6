/**
 * watchWrites: the size of a running server's data folder follows what it writes (a new folder is 0 B until the
 * server writes chroma.sqlite3). A real server on a new, empty folder, and plain file writes for the throttle.
 */
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataFolderInfo } from '../../../../src/local/core/dataFolder';
import { ChromaProcess } from '../../../../src/local/core/serverProcess';
import { watchWrites } from '../../../../src/local/core/writeWatch';
import type { WriteWatch } from '../../../../src/local/core/writeWatch';
import { serverKindFromEnv } from '../../../support/chromaServer';
import { roundTrip, serverCommandUnderTest, until, useTempDir } from './support';

describe(`watchWrites: a data folder's writes are seen as they happen (real chroma run, ${serverKindFromEnv()})`, function () {
  this.timeout(120_000);
  const temp = useTempDir();
  const watches: WriteWatch[] = [];
  afterEach(() => watches.splice(0).forEach((w) => w.dispose()));
  function watchCounting(folder: string, intervalMs?: number): { calls: number } {
    const seen = { calls: 0 };
    watches.push(watchWrites(folder, () => seen.calls++, { intervalMs }));
    return seen;
  }

  it('a server started on a new, empty folder: its first writes are seen and the size is no longer 0 B; later writes are seen too', async () => {
    const folder = join(temp(), 'chroma');
    mkdirSync(folder);
    assert.equal((await dataFolderInfo(folder)).sizeBytes, 0);
    const seen = watchCounting(folder, 50);
    const proc = await ChromaProcess.start({ folder, command: await serverCommandUnderTest(folder) });
    try {
      await until('the start to be seen as a write', () => seen.calls > 0);
      const started = await dataFolderInfo(folder);
      assert.ok(started.sizeBytes > 0, `the folder has the server's files, ${started.sizeBytes} bytes`);
      const before = seen.calls;
      await roundTrip(proc.url, 'watched');
      await until('the round trip to be seen as a write', () => seen.calls > before);
    } finally {
      await proc.stop();
    }
  });

  it('throttled: a burst of writes within the interval is one call; a disposed watch calls nothing', async () => {
    const dir = temp();
    const file = join(dir, 'chroma.sqlite3');
    const slow = watchCounting(dir, 600_000);
    const disposed = watchWrites(dir, () => assert.fail('a disposed watch was called'));
    disposed.dispose();
    for (let i = 0; i < 50; i++) {
      appendFileSync(file, 'x');
    }
    await until('the first write of the burst to be seen', () => slow.calls > 0);
    const probe = watchCounting(dir, 0);
    for (let i = 0; i < 50; i++) {
      appendFileSync(file, 'y');
    }
    await until('the second burst to reach the watches', () => probe.calls > 0);
    assert.equal(slow.calls, 1, 'one call for both bursts within the interval');
  });

  it('the last write of a burst is followed by a call once the interval has passed', async () => {
    const dir = temp();
    const file = join(dir, 'chroma.sqlite3');
    const seen = watchCounting(dir, 200);
    appendFileSync(file, 'x');
    await until('the first write to be seen', () => seen.calls === 1);
    for (let i = 0; i < 20; i++) {
      appendFileSync(file, 'y');
    }
    await until('one more call for the burst after the first', () => seen.calls === 2);
  });

  it('a folder that cannot be watched (missing) gives a watch that does nothing and disposes', () => {
    const watch = watchWrites(join(temp(), 'missing'), () => assert.fail('called for a missing folder'));
    watch.dispose();
  });
});
