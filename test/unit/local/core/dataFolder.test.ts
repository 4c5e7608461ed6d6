import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCommandLine } from '../../../../src/local/core/commandLine';
import {
  createDataFolder,
  dataFolderInfo,
  dataFolderOfSqlite,
  displayPath,
  formatSize,
  isDataFolder,
} from '../../../../src/local/core/dataFolder';
import type { LocalServerError } from '../../../../src/local/core/errors';
import { useTempDir } from './support';

describe('data folders (files on disk)', () => {
  const temp = useTempDir();

  function fakeFolder(): string {
    const dir = join(temp(), 'chroma');
    mkdirSync(join(dir, 'seg-1'), { recursive: true });
    writeFileSync(join(dir, 'chroma.sqlite3'), Buffer.alloc(1000));
    writeFileSync(join(dir, 'seg-1', 'data_level0.bin'), Buffer.alloc(234));
    symlinkSync('/etc', join(dir, 'link')); // not followed
    return dir;
  }

  it('a folder with chroma.sqlite3 is a data folder; its size, complete, and when the database changed', async () => {
    const dir = fakeFolder();
    utimesSync(join(dir, 'chroma.sqlite3'), new Date('2024-05-01T12:03:00Z'), new Date('2024-05-01T12:03:00Z'));
    assert.equal(await isDataFolder(dir), true);
    assert.equal(await isDataFolder(join(dir, 'seg-1')), false);
    assert.equal(dataFolderOfSqlite(join(dir, 'chroma.sqlite3')), dir);
    assert.equal(dataFolderOfSqlite(join(dir, 'other.sqlite3')), undefined);
    const info = await dataFolderInfo(dir);
    assert.equal(info.sizeBytes, 1234);
    assert.equal(info.sizeComplete, true);
    assert.equal(info.sqliteModified?.toISOString(), '2024-05-01T12:03:00.000Z');
  });

  it('the size walk stops at its bound and says the size is a lower bound', async () => {
    const dir = fakeFolder();
    for (let i = 0; i < 30; i++) {
      writeFileSync(join(dir, `f${i}`), 'x');
    }
    const info = await dataFolderInfo(dir, { maxEntries: 10 });
    assert.equal(info.sizeComplete, false);
    assert.ok(info.sizeBytes < 1234 + 30);
    assert.equal(formatSize(info.sizeBytes, false).startsWith('≥ '), true);
    assert.equal(formatSize(1234), '1.2 KiB');
    assert.equal(formatSize(999), '999 bytes');
    assert.equal(formatSize(45_600_000), '43 MiB');
  });

  it('a new folder is made, an empty one is taken, a non-empty one or a data folder is refused untouched', async () => {
    const root = temp();
    await createDataFolder(join(root, 'new', 'chroma'));
    assert.deepEqual(readdirSync(join(root, 'new', 'chroma')), []);
    await createDataFolder(join(root, 'new', 'chroma'));
    writeFileSync(join(root, 'new', 'chroma', 'notes.txt'), 'mine');
    await assert.rejects(createDataFolder(join(root, 'new', 'chroma')), (e: LocalServerError) => {
      assert.equal(e.message, `${join(root, 'new', 'chroma')} is not empty (1 entries). Choose an empty or new folder for the new Chroma.`);
      return true;
    });
    const data = fakeFolder();
    await assert.rejects(createDataFolder(data), /is already a Chroma data folder: open it instead/);
    await assert.rejects(createDataFolder(join(data, 'chroma.sqlite3')), /is a file, not a folder/);
    assert.deepEqual(readdirSync(join(root, 'new', 'chroma')), ['notes.txt']);
  });

  it('names folders as people see them', () => {
    assert.equal(displayPath('/w/app/chroma', ['/w/app']), './chroma');
    assert.equal(displayPath('/w/app/data/db', ['/w/app']), './data/db');
    assert.equal(displayPath('/w/app/chroma', ['/w/app', '/w/lib']), 'app/chroma');
    assert.equal(displayPath('/home/u/x/chroma', ['/w/app'], '/home/u'), '~/x/chroma');
    assert.equal(displayPath('/srv/chroma', ['/w/app'], '/home/u'), '/srv/chroma');
    assert.equal(displayPath('/w/app-2/chroma', ['/w/app']), '/w/app-2/chroma');
  });
});

describe('server command lines (pure)', () => {
  it('splits like a shell for simple quoting, expands ${workspaceFolder} and ~', () => {
    assert.deepEqual(splitCommandLine(`"/opt/my tools/chroma" --flag 'a b' c\\ d "x\\"y"`, { windows: false }), ['/opt/my tools/chroma', '--flag', 'a b', 'c d', 'x"y']);
    assert.deepEqual(splitCommandLine('${workspaceFolder}/.venv/bin/chroma', { workspaceFolder: '/w/app', windows: false }), ['/w/app/.venv/bin/chroma']);
    assert.deepEqual(splitCommandLine('~/bin/chroma', { home: '/home/u', windows: false }), ['/home/u/bin/chroma']);
    assert.deepEqual(splitCommandLine(`C:\\Tools\\chroma.exe "C:\\Program Files\\x"`, { windows: true }), ['C:\\Tools\\chroma.exe', 'C:\\Program Files\\x']);
    assert.deepEqual(splitCommandLine(`uvx --from chromadb chroma ''`, { windows: false }), ['uvx', '--from', 'chromadb', 'chroma', '']);
    assert.throws(() => splitCommandLine('"unclosed', { windows: false }), /The server command has an unclosed " quote: "unclosed/);
  });
});
