/**
 * The packages `npm run package` wrote: one VSIX per platform onnxruntime-node ships binaries for, each holding the
 * bundle, its lazily loaded vendor files, the icon and docs, and only its own platform's native binaries.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as yauzl from 'yauzl';
import { PROJECT_ROOT } from '../support/chromaServer';

interface Entry {
  name: string;
  size: number;
}

function entries(file: string): Promise<{ list: Entry[]; text: (name: string) => Promise<string> }> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) {
        reject(err ?? new Error(`cannot open ${file}`));
        return;
      }
      const list: Entry[] = [];
      const raw = new Map<string, yauzl.Entry>();
      zip.on('entry', (e: yauzl.Entry) => {
        list.push({ name: e.fileName, size: e.uncompressedSize });
        raw.set(e.fileName, e);
        zip.readEntry();
      });
      zip.on('error', reject);
      zip.on('end', () =>
        resolve({
          list,
          text: (name) =>
            new Promise((res, rej) => {
              const e = raw.get(name);
              if (!e) {
                rej(new Error(`${name} is not in ${file}`));
                return;
              }
              yauzl.open(file, { lazyEntries: true }, (err2, z2) => {
                if (err2 || !z2) {
                  rej(err2 ?? new Error('reopen failed'));
                  return;
                }
                z2.on('entry', (e2: yauzl.Entry) => {
                  if (e2.fileName !== name) {
                    z2.readEntry();
                    return;
                  }
                  z2.openReadStream(e2, (err3, stream) => {
                    if (err3 || !stream) {
                      rej(err3 ?? new Error('no stream'));
                      return;
                    }
                    const chunks: Buffer[] = [];
                    stream.on('data', (c: Buffer) => chunks.push(c));
                    stream.on('end', () => {
                      z2.close();
                      res(Buffer.concat(chunks).toString('utf8'));
                    });
                  });
                });
                z2.readEntry();
              });
            }),
        }),
      );
      zip.readEntry();
    });
  });
}

const ORT_BIN = join(PROJECT_ROOT, 'node_modules', 'onnxruntime-node', 'bin');

/** What onnxruntime-node ships: `<os>-<arch>` → its napi folder. */
function shipped(): Map<string, string> {
  const out = new Map<string, string>();
  for (const napi of readdirSync(ORT_BIN)) {
    for (const os of readdirSync(join(ORT_BIN, napi))) {
      for (const arch of readdirSync(join(ORT_BIN, napi, os))) {
        out.set(`${os}-${arch}`, `${napi}/${os}/${arch}`);
      }
    }
  }
  return out;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

const CHUNKS = ['local', 'embedding', 'pickers', 'serverPages', 'compose'];
const VENDOR = ['yaml', 'tar', 'huggingface-tokenizers', 'smol-toml', 'ignore', 'jsonc-parser'];
const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; icon: string };
// The README's images, by relative path: vsce keeps relative links (--no-rewrite-relative-links), so they must be packaged.
const readmeImages = [...readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);

describe('packages: one VSIX per platform, each with only its own binaries', () => {
  const targets = shipped();

  it('covers every platform onnxruntime-node ships binaries for, and the common desktop ones', () => {
    for (const t of ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64']) {
      assert.ok(targets.has(t), `onnxruntime-node ships no ${t} binaries`);
    }
    for (const t of targets.keys()) {
      assert.ok(existsSync(join(PROJECT_ROOT, `chroma-explorer-${t}.vsix`)), `chroma-explorer-${t}.vsix was not written`);
    }
  });

  for (const [target, binDir] of shipped()) {
    it(`chroma-explorer-${target}.vsix holds the extension and ${binDir} only`, async () => {
      const file = join(PROJECT_ROOT, `chroma-explorer-${target}.vsix`);
      const { list, text } = await entries(file);
      const names = new Set(list.map((e) => e.name));
      const need = [
        'extension.vsixmanifest',
        'extension/package.json',
        'extension/dist/extension.js',
        'extension/dist/main.js',
        ...VENDOR.map((v) => `extension/dist/vendor/${v}.js`),
        // the second bundle, the map's worker, the large-body JSON worker, and the overview page: its script (with
        // the message checker bundled in) and styles
        'extension/dist/features.js',
        // the chunks (esbuild.mjs CHUNKS), each required on first use: local servers, embedding service, pickers,
        // server pages, compose parser
        ...CHUNKS.map((c) => `extension/dist/chunks/${c}.js`),
        'extension/dist/projectionWorker.js',
        'extension/dist/jsonWorker.js',
        'extension/media/overview/overview.js',
        'extension/media/overview/overview.css',
        'extension/media/overview/overview-panels.css',
        `extension/${manifest.icon}`,
        ...readmeImages.map((image) => `extension/${image}`),
        'extension/media/chroma.svg',
        // the filter and playground schemas: jsonValidation and the filter check read them
        'extension/media/schemas/chroma-filter.schema.json',
        'extension/media/schemas/chroma-playground.schema.json',
        'extension/readme.md',
        'extension/changelog.md',
        'extension/LICENSE.txt',
        'extension/node_modules/onnxruntime-node/package.json',
        'extension/node_modules/onnxruntime-node/dist/index.js',
        'extension/node_modules/onnxruntime-common/package.json',
        `extension/node_modules/onnxruntime-node/bin/${binDir}/onnxruntime_binding.node`,
      ];
      assert.ok(readmeImages.length >= 5, `README.md shows ${readmeImages.length} images`);
      assert.ok(readmeImages.every((image) => !/^[a-z]+:/i.test(image)), `README images are relative paths: ${readmeImages.join(', ')}`);
      for (const n of need) {
        assert.ok(names.has(n), `${n} is missing from ${file}`);
      }
      for (const { name } of list) {
        assert.doesNotMatch(name, /^extension\/(src|test|out|bench|scripts)\//, `${name} should not be packaged`);
        assert.doesNotMatch(name, /\.(map|ts|tsbuildinfo)$/, `${name} should not be packaged`);
        const bin = /^extension\/node_modules\/onnxruntime-node\/bin\/([^/]+\/[^/]+\/[^/]+)\//.exec(name);
        if (bin) {
          assert.equal(bin[1], binDir, `${name}: another platform's binary in the ${target} package`);
        }
        const mod = /^extension\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(name);
        if (mod) {
          assert.ok(['onnxruntime-node', 'onnxruntime-common'].includes(mod[1]), `${name}: ${mod[1]} is bundled, it should not ship as a folder`);
        }
      }
      const vsixManifest = await text('extension.vsixmanifest');
      assert.match(vsixManifest, new RegExp(`TargetPlatform="${target}"`));
      const pkg = JSON.parse(await text('extension/package.json')) as { name: string; version: string };
      assert.equal(`${pkg.name}@${pkg.version}`, `${manifest.name}@${manifest.version}`);

      // what activation loads: the bundle the bootstrap (dist/extension.js, 2 KiB) reads through V8's code cache
      const main = list.find((e) => e.name === 'extension/dist/main.js')?.size ?? 0;
      // The query workbench, data commands, export/import and the overview are in dist/features.js; the client (with
      // ofetch), the record editors' code, the local servers, the embedding service, the pickers and the status pages
      // in dist/chunks/: all loaded on first use (src/lazyFeatures.ts, esbuild.mjs CHUNKS), so activation never
      // evaluates them. Issue 20's goal, 100 KiB (99.2 KiB on 2026-12-07): the budget stops it growing back.
      assert.ok(main > 0 && main <= 100 * 1024, `dist/main.js is ${(main / 1024).toFixed(1)} KiB, over issue 20's 100 KiB`);
      for (const chunk of ['chroma', 'records', 'local', 'embedding', 'pickers', 'serverPages', 'compose']) {
        assert.ok(list.some((e) => e.name === `extension/dist/chunks/${chunk}.js`), `dist/chunks/${chunk}.js is not packaged`);
      }
      assert.ok(list.some((e) => e.name === 'extension/dist/features.js'), 'dist/features.js, the second bundle, is not packaged');
      assert.ok(!list.some((e) => e.name.endsWith('.cache')), 'a code cache from this machine was packaged');
      // The package is the platform's binaries, compressed, plus under 2 MiB of our own.
      const binaries = dirBytes(join(ORT_BIN, binDir));
      const size = statSync(file).size;
      assert.ok(size < binaries + 2 * 1024 * 1024, `${file} is ${size} bytes for ${binaries} bytes of binaries`);
      assert.ok(size > binaries / 5, `${file} is ${size} bytes: too small to hold the ${target} binaries`);
    });
  }
});
