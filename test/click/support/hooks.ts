/**
 * Mocha root hooks (loaded by .mocharc.click.json): one Chroma, proxy, code-server and chromium for the whole
 * suite, and `clickTest`, which gives each test its own window, fails it on any error notification, and keeps a
 * screenshot and the notifications of a failure in .test-artifacts/click-<title>.png / .txt.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, RootHookObject } from 'mocha';
import { ARTIFACTS, ClickSession } from './session';
import type { ConnectionSetting } from './session';
import type { ClickWindow } from './window';

let current: ClickSession | undefined;

export function session(): ClickSession {
  if (!current) {
    throw new Error('the click session has not started');
  }
  return current;
}

export const mochaHooks: RootHookObject = {
  async beforeAll(this: Context) {
    this.timeout(300_000);
    current = await ClickSession.start();
  },
  async afterAll(this: Context) {
    this.timeout(60_000);
    await current?.stop();
    current = undefined;
  },
};

/**
 * A test body run in a fresh window with `connections` (and any other user `settings`, or a function that makes them
 * when the test starts) configured; fails on any error notification.
 */
export function clickTest(
  connections: (s: ClickSession) => ConnectionSetting[],
  body: (win: ClickWindow, s: ClickSession) => Promise<void>,
  settings: Record<string, unknown> | (() => Record<string, unknown>) = {},
  /** Files to put in the test's fresh workspace before the window opens on it. */
  prepare?: (workspace: string) => Promise<void>,
): (this: Context) => Promise<void> {
  return async function (this: Context) {
    const s = session();
    const title = this.test?.title ?? 'test';
    const win = await s.open(title, connections(s), typeof settings === 'function' ? settings() : settings, prepare);
    try {
      await body(win, s);
      await win.assertNoErrorToasts();
    } catch (e) {
      await keepArtifacts(win, title, e);
      throw e;
    } finally {
      await win.close();
    }
  };
}

async function keepArtifacts(win: ClickWindow, title: string, error: unknown): Promise<void> {
  const base = join(ARTIFACTS, `click-${title.replace(/[^\w.-]+/g, '-').slice(0, 80)}`);
  await win.page.screenshot({ path: `${base}.png` }).catch(() => undefined);
  const toasts = await win.toasts().catch(() => []);
  const lines = [
    `test: ${title}`,
    `error: ${error instanceof Error ? error.message : String(error)}`,
    '',
    'notifications shown:',
    ...toasts.map((t) => `  [${t.severity}] ${t.message}`),
  ];
  writeFileSync(`${base}.txt`, `${lines.join('\n')}\n`);
}
