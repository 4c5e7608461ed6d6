/**
 * The demo's first query, as a newcomer makes it (issue "First impressions", §1): the demo's own seeding
 * (test/support/demoData.ts, what `npm run demo` runs) fills a Chroma server, the workbench gets the demo's own
 * Chroma settings, and then, from the palette: Query Collection…, the demo collection picked by typing, a question
 * typed. The top hit is the sample fact the question is about, and nothing was asked on the way: no "which
 * embedding function?" picker, no approval dialog, no model download. Both ways the demo can embed: with Chroma's
 * default model (here the tiny test model, from a stand-in bucket, cached in a scratch HOME), and without it (its
 * host unreachable, as on CI), with the demo vectors the demo serves.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from '../../src/chroma';
import { ChromaServer } from '../support/chromaServer';
import { demoChromaSettings, prepareDemo } from '../support/demoData';
import type { DemoEmbedding } from '../support/demoData';
import { ModelBucket, TINY_MODEL_SHA256 } from '../support/modelBucket';
import { FACTS } from '../support/sampleData';
import type { ConnectionSetting } from './support/session';
import { clickTest } from './support/hooks';
import type { ClickWindow } from './support/window';

/** Chroma's bucket as CI here sees it: a name that never resolves. */
const UNREACHABLE = 'http://chroma-onnx-models.invalid/all-MiniLM-L6-v2/onnx.tar.gz';

/** A Chroma server filled by the demo's seeding, and the settings the demo writes into its own VS Code profile. */
function useDemoServer(modelUrl: () => string): { readonly settings: Record<string, unknown>; readonly embedding: DemoEmbedding } {
  const state: { chroma?: ChromaServer; embedding?: DemoEmbedding; settings?: Record<string, unknown>; scratch?: string } = {};
  before(async function () {
    this.timeout(180_000);
    state.scratch = mkdtempSync(join(tmpdir(), 'chroma-demo-click-'));
    state.chroma = await ChromaServer.start();
    const dir = join(state.scratch, 'home', '.cache', 'chroma', 'onnx_models', 'all-MiniLM-L6-v2');
    const { embedding } = await prepareDemo(new ChromaClient({ url: state.chroma.url }), { model: { url: modelUrl(), sha256: TINY_MODEL_SHA256, dir }, vectorsPort: 0 });
    state.embedding = embedding;
    state.settings = demoChromaSettings({}, { chromaPort: state.chroma.port, trustedOrigin: embedding.server?.origin });
  });
  after(async function () {
    this.timeout(60_000);
    await state.embedding?.server?.stop();
    await state.chroma?.stop();
    if (state.scratch) {
      rmSync(state.scratch, { recursive: true, force: true });
    }
  });
  return {
    get settings() {
      return state.settings!;
    },
    get embedding() {
      return state.embedding!;
    },
  };
}

/** What the workbench shows that would be a question to the user: a dialog, or a quick pick with choices. */
async function questionShown(win: ClickWindow): Promise<string | undefined> {
  const dialog = await win.page.evaluate(() => {
    const box = document.querySelector<HTMLElement>('.monaco-dialog-box');
    return box && box.offsetParent !== null ? (box.textContent ?? '').trim() || 'a dialog' : undefined;
  });
  if (dialog) {
    return `dialog: ${dialog}`;
  }
  const q = await win.quickInput();
  return q && q.items.length > 0 ? `picker: ${q.placeholder} (${q.items.join(', ')})` : undefined;
}

/** Runs the demo's first query from the palette and returns the Results view's rows once its hits are shown. */
async function firstQuery(win: ClickWindow, connection: string, question: string): Promise<string[]> {
  await win.runCommand('Chroma: Query Collection');
  await win.pickCollection({ connection, database: 'default_database', collection: 'chroma-facts' });
  await win.waitForQuickInput('the query text box', (q) => q.items.length === 0 && /query|search/i.test(`${q.title} ${q.message} ${q.placeholder}`));
  await win.type(question);
  await win.press('Enter');
  return win.waitFor(
    'the hits in the Results view',
    async () => {
      const asked = await questionShown(win);
      if (asked) {
        throw new Error(`the demo's first query asked something: ${asked}`);
      }
      const rows = await win.resultRows();
      return rows.some((r) => r.startsWith('1. ')) ? rows : undefined;
    },
    60_000,
  );
}

function demoQuery(demo: { readonly settings: Record<string, unknown> }, question: string, expected: number) {
  const connections = () => demo.settings['chroma.connections'] as ConnectionSetting[];
  return clickTest(
    connections,
    async (win, s) => {
      const rows = await firstQuery(win, connections()[0].name, question);
      s.logLine(`results: ${rows.join(' | ')}`);
      const first = rows.find((r) => r.startsWith('1. '));
      const id = `fact-${String(expected).padStart(4, '0')}`;
      assert.ok(first?.startsWith(`1. ${id}`), `the top hit is ${id} ("${FACTS[expected]}"), not: ${first}`);
      assert.ok(first?.includes(FACTS[expected].slice(0, 40)), first);
      const toasts = (await win.toasts()).map((t) => t.message);
      assert.ok(!toasts.some((m) => /download|embedding function|allow/i.test(m)), `nothing was asked or downloaded: ${toasts.join(' | ')}`);
    },
    () => {
      const rest = { ...demo.settings };
      delete rest['chroma.connections'];
      return rest;
    },
  );
}

describe('click: the demo\'s first query answers from the palette, asking nothing', () => {
  describe('without the model (as CI runs it): the demo vectors, served by the demo, their host trusted in its profile', () => {
    const demo = useDemoServer(() => UNREACHABLE);
    it('Query Collection… → chroma-facts → "how do I turn telemetry off before chroma run?": the telemetry fact first', async function () {
      assert.equal(demo.embedding.mode, 'demo-vectors');
      assert.deepEqual(demo.settings['chroma.embedding.trustedHosts'], [demo.embedding.server!.origin]);
      await demoQuery(demo, 'how do I turn telemetry off before chroma run?', 12).call(this);
    });
  });

  describe('with Chroma\'s default model (the tiny test model, from a stand-in bucket)', () => {
    let bucket: ModelBucket;
    before(async () => {
      bucket = await ModelBucket.start();
    });
    after(async () => {
      await bucket.stop();
    });
    const demo = useDemoServer(() => bucket.url);
    it('Query Collection… → chroma-facts → the text of a fact: that fact first', async function () {
      assert.equal(demo.embedding.mode, 'default');
      assert.equal(demo.settings['chroma.embedding.trustedHosts'], undefined, 'no host to trust');
      await demoQuery(demo, FACTS[12], 12).call(this);
    });
  });
});
