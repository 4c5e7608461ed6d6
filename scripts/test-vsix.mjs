#!/usr/bin/env node
// Installs the linux-x64 VSIX into code-server the way a user does (--install-extension) and runs
// out/test/vsix/index.js in its extension host: the packaged extension activates from its install folder and embeds
// with its own onnxruntime-node. The workbench needs one development extension to run tests: an empty one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, NOISE, QUIET_SETTINGS, ROOT, runTestsInWorkbench, startCodeServer } from './lib/workbench.mjs';

const vsix = join(ROOT, 'chroma-explorer-linux-x64.vsix');
const dir = mkdtempSync(join(tmpdir(), 'chroma-explorer-vsix-'));
mkdirSync(join(dir, 'runner'));
mkdirSync(join(dir, 'workspace'));
writeFileSync(join(dir, 'runner', 'package.json'), JSON.stringify({ name: 'vsix-runner', publisher: 'test', version: '0.0.1', engines: { vscode: '^1.100.0' } }));
let server;
let browser;
let code = 1;
try {
  server = await startCodeServer({ workspace: join(dir, 'workspace'), settings: QUIET_SETTINGS, vsix: [vsix] });
  browser = await launchChromium();
  const result = await runTestsInWorkbench(browser, server, {
    developmentPaths: [join(dir, 'runner')],
    testsPath: join(ROOT, 'out', 'test', 'vsix', 'index.js'),
    timeoutMs: 300_000,
    onLog: (level, text) => {
      if (level !== 'pageerror' && !NOISE.test(text)) console.log(text);
    },
  });
  code = result === 'timeout' ? 1 : result;
} catch (e) {
  console.error(`test-vsix: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
if (code !== 0) console.log('vsix: 0 passed, 1 failed');
process.exit(code);
