/**
 * The install offer of local Chroma as a person meets it (issue 21 §2.4): a workspace with a Chroma data folder
 * (./data, one collection) and no Chroma anywhere (no node_modules/.bin/chroma, no Python environment, none on the
 * PATH, no setting). Open Chroma Data Folder… typed into the palette, ./data picked by typing; the modal offer is
 * read and its Install Chroma button clicked; the npm chromadb package is installed from the npm registry into the
 * extension's global storage (a scratch user-data folder) and serves the folder: its collection is listed in the
 * tree. Any error notification fails the test.
 *
 * `npm run` puts the project's node_modules/.bin (with its chroma) on the PATH, and the suite's code-server passes
 * that PATH to every window's extension host, where the lookup would find it. So this test runs its own code-server
 * and browser, started with a PATH that holds no chroma, as a user's VS Code has; the window is driven by the same
 * ClickWindow as every click test.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../support/chromaServer';
import { writeDataFolder } from './support/data';
import { answerDialog, contextMenu } from './support/menus';
import { ClickWindow, TOAST_RECORDER } from './support/window';
import { processesOf } from '../support/processes';

interface CodeServer {
  stop(): Promise<void>;
}
interface WorkbenchLib {
  QUIET_SETTINGS: Record<string, unknown>;
  startCodeServer(opts: { workspace: string; settings?: Record<string, unknown>; env?: Record<string, string> }): Promise<CodeServer>;
  launchChromium(): Promise<Browser>;
  openWorkbench(browser: Browser, server: CodeServer, opts: { developmentPaths: string[]; folder: string; initScript?: string }): Promise<{ page: Page }>;
}

// A real dynamic import: tsc would turn `import()` into require(), which cannot load an ES module.
const importEsm = new Function('s', 'return import(s)') as (specifier: string) => Promise<unknown>;

/** This process's PATH without the folders that hold a `chroma` (npm run's node_modules/.bin). */
function pathWithoutChroma(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d && !existsSync(join(d, 'chroma')))
    .join(delimiter);
}

const COLLECTION = 'installed-notes';

/** A data folder written by the pinned Chroma, with one collection; nothing that could serve it. */
async function prepare(workspace: string): Promise<void> {
  await writeDataFolder(workspace, COLLECTION);
  assert.equal(existsSync(join(workspace, 'node_modules')), false, 'no npm Chroma in the workspace');
}


describe('click: local Chroma install offer', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'chroma-explorer-install-'));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('no Chroma anywhere: Open Chroma Data Folder… offers the install in a modal, Install Chroma clicked, the installed Chroma serves ./data', async function () {
    this.timeout(420_000);
    const workspace = join(scratch, 'ws');
    mkdirSync(workspace);
    await prepare(workspace);
    const data = realpathSync(join(workspace, 'data'));
    const lib = (await importEsm(pathToFileURL(join(PROJECT_ROOT, 'scripts', 'lib', 'workbench.mjs')).href)) as WorkbenchLib;
    server = await lib.startCodeServer({ workspace, settings: lib.QUIET_SETTINGS, env: { PATH: pathWithoutChroma() } });
    browser = await lib.launchChromium();
    const { page } = await lib.openWorkbench(browser, server, {
      developmentPaths: [process.env.CHROMA_EXPLORER_CLICK_EXT || PROJECT_ROOT],
      folder: workspace,
      initScript: TOAST_RECORDER,
    });
    const win = new ClickWindow(page);
    try {
      await win.openChromaView();
      await win.waitForRow('Local data', { level: 1 });
      await win.runCommand('Chroma: Open Chroma Data Folder');
      await win.waitForQuickInput('the data folder step', (q) => q.title === 'Open Chroma Data Folder' && q.items.includes('./data'));
      await win.choose('data', './data');

      const offer = await answerDialog(win, /^No Chroma was found to serve \.\/data\. Install the npm chromadb package into the extension's storage\?$/, 'Install Chroma');
      assert.match(offer.detail, /^Looked for: the setting chroma\.local\.serverCommand, the workspace's node_modules\/\.bin\/chroma and Python environments/);
      assert.match(offer.detail, /downloads chromadb's CLI and its platform binding \(tens of MB\) from the npm registry; nothing else is downloaded\.$/);

      // Installed, started: its connection, with the collection written before.
      await win.expand('Local ./data', { level: 1, timeoutMs: 300_000 });
      await win.expand('default_database', { level: 2 });
      await win.waitForRow(COLLECTION, { level: 3 });
      const folder = await win.waitForRow('./data', { level: 2 });
      assert.match(folder.description, /running on :\d+$/);
      const served = processesOf(data);
      assert.ok(served.length > 0, 'a server runs on the folder');
      const argv = readFileSync(`/proc/${served[0]}/cmdline`, 'utf8').split('\0');
      assert.ok(argv.some((a) => /chroma-install[/\\].*chromadb[/\\]dist[/\\]cli\.mjs$/.test(a)), `the installed CLI serves it: ${argv.join(' ')}`);

      await contextMenu(win, folder, 'Stop Local Chroma');
      await win.waitFor('./data to show "not running"', async () => ((await win.findRow('./data', { level: 2 }))?.description ?? '').endsWith('not running'), 30_000);
      assert.deepEqual(processesOf(data), [], 'no process of the folder is left');
      await win.assertNoErrorToasts();
    } catch (e) {
      await page.screenshot({ path: join(PROJECT_ROOT, '.test-artifacts', 'click-install-offer.png') }).catch(() => undefined);
      throw e;
    } finally {
      await win.close();
    }
  });
});
