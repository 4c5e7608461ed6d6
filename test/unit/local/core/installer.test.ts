import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalServerError } from '../../../../src/local/core/errors';
import { defaultInstallVersions, installChroma } from '../../../../src/local/core/installer';
import type { InstallProgress } from '../../../../src/local/core/installer';
import { findInstalled } from '../../../../src/local/core/installed';
import { LocalServers } from '../../../../src/local/core/localServers';
import { downloadTarball, resolvePackage } from '../../../../src/local/core/npmRegistry';
import { openDataFolder } from '../../../../src/local/core/openFolder';
import type { OpenFolderDeps } from '../../../../src/local/core/openFolder';
import { folderKey } from '../../../../src/local/core/serverRegistry';
import { processesServing, roundTrip, useTempDir } from './support';

describe('installing Chroma from the npm registry (real registry, real server)', function () {
  this.timeout(300_000);
  const temp = useTempDir();

  it('the default pair follows glibc: 3.0.6 with binding 1.0.1 below glibc 2.39, the newest 3.x elsewhere', () => {
    assert.deepEqual(defaultInstallVersions('linux', '2.36'), { chromadb: '3.0.6', binding: '1.0.1' });
    assert.deepEqual(defaultInstallVersions('linux', '2.39'), { chromadb: '^3.0.6' });
    assert.deepEqual(defaultInstallVersions('darwin', undefined), { chromadb: '^3.0.6' });
  });

  it('nothing in the workspace: asks, installs into global storage with progress, and the installed CLI serves the folder', async () => {
    const ws = await folderKey(temp());
    const storage = temp();
    const servers = new LocalServers({ storageDir: storage });
    const progress: InstallProgress[] = [];
    let asked = 0;
    const deps: OpenFolderDeps = {
      servers,
      workspaceFolders: [ws],
      installDir: join(storage, 'chroma-npm'),
      env: { PATH: '' },
      confirmInstall: () => {
        asked++;
        return Promise.resolve(true);
      },
      whenBusy: () => Promise.resolve('cancel'),
      onInstallProgress: (p) => progress.push(p),
    };
    try {
      const opened = await openDataFolder(join(ws, 'chroma'), deps);
      assert.equal(asked, 1);
      assert.ok(opened.outcome === 'running');
      assert.equal(opened.resolution?.chosen?.source, 'installed');
      assert.equal(opened.resolution?.chosen?.description, "npm chromadb 3.0.6 (binding 1.0.1) from the extension's own install");
      await roundTrip(opened.server.url, 'installed');
      const messages = [...new Set(progress.map((p) => p.message))];
      assert.deepEqual(messages, [
        'Looking up chromadb on the npm registry',
        'Downloading chromadb 3.0.6',
        'Downloading chromadb-js-bindings-linux-x64-gnu 1.0.1',
        `Downloading semver ${messages[3]?.split(' ')[2]}`,
        'Installed chromadb 3.0.6 with binding 1.0.1',
      ]);
      assert.ok(progress.some((p) => p.fraction !== undefined && p.fraction > 0 && p.fraction < 1), 'fractions while downloading');
      const installed = await findInstalled(join(storage, 'chroma-npm'));
      assert.equal(installed?.chromadb, '3.0.6');
      assert.deepEqual(readdirSync(join(installed?.dir ?? '', 'node_modules')).sort(), ['chromadb', 'chromadb-js-bindings-linux-x64-gnu', 'semver']);
      await servers.stop(opened.server.folder);

      // A second open uses the install without asking.
      const again = await openDataFolder(join(ws, 'chroma'), deps);
      assert.equal(asked, 1);
      assert.ok(again.outcome === 'running');
      assert.deepEqual((await processesServing(again.server.folder)).length, 1);
    } finally {
      await servers.dispose();
    }
  });

  it('declined: nothing is downloaded', async () => {
    const ws = await folderKey(temp());
    const storage = temp();
    const servers = new LocalServers({ storageDir: storage });
    const opened = await openDataFolder(join(ws, 'chroma'), {
      servers,
      workspaceFolders: [ws],
      installDir: join(storage, 'chroma-npm'),
      env: { PATH: '' },
      confirmInstall: () => Promise.resolve(false),
      whenBusy: () => Promise.resolve('cancel'),
    });
    await servers.dispose();
    assert.deepEqual(opened, { outcome: 'cancelled' });
    assert.equal(existsSync(join(storage, 'chroma-npm')), false);
  });

  it('cancelled while downloading: a cancelled error and nothing left in the install folder', async () => {
    const installDir = join(temp(), 'chroma-npm');
    const abort = new AbortController();
    await assert.rejects(
      installChroma({
        installDir,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.message.startsWith('Downloading chromadb-js-bindings')) {
            abort.abort();
          }
        },
      }),
      (e: LocalServerError) => {
        assert.equal(e.kind, 'cancelled');
        return true;
      },
    );
    assert.deepEqual(readdirSync(installDir), []);
  });

  it('a tarball that does not match its integrity is refused', async () => {
    const pkg = await resolvePackage('semver', '7.7.1');
    assert.match(pkg.integrity, /^sha512-/);
    assert.equal((await downloadTarball(pkg)).length > 0, true);
    await assert.rejects(downloadTarball({ ...pkg, integrity: `sha512-${Buffer.alloc(64).toString('base64')}` }), (e: LocalServerError) => {
      assert.equal(e.message, "semver@7.7.1 does not match the registry's integrity (sha512); it was discarded. Try again later.");
      return true;
    });
    await assert.rejects(resolvePackage('chromadb', '99.x'), /The npm registry has no chromadb matching 99\.x\./);
  });

  it('a platform the npm CLI does not run on is said so before anything is fetched', async () => {
    const installDir = join(temp(), 'x');
    await assert.rejects(installChroma({ installDir, platform: 'win32', arch: 'x64' }), (e: LocalServerError) => {
      assert.equal(e.kind, 'unsupported-platform');
      assert.equal(
        e.message,
        'The npm Chroma CLI does not run on win32 x64. Install Python chromadb (pip install chromadb) and set chroma.local.serverCommand to its chroma.',
      );
      return true;
    });
    assert.equal(existsSync(installDir), false);
  });
});
