/**
 * Download Default Embedding Model from the palette (issue 24 §1), as a person meets it here: offline (Chroma's
 * bucket does not resolve on this machine, as on CI). The workbench's model cache is moved aside for the test (and
 * put back after): the progress notification names the model, and the error says what failed, why and what to do.
 * The download from a stand-in bucket cannot be clicked: the command fetches Chroma's own URL, pinned to the real
 * model's checksum, and no setting points it elsewhere.
 */
import * as assert from 'node:assert/strict';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { clickTest } from './support/hooks';
import { expectErrorToast } from './support/menus';
import { modelDir } from './support/session';

describe('click: the default embedding model', () => {
  it(
    'Download Default Embedding Model offline: the progress names the model, the error says to check the network or copy a cached model',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const dir = modelDir(s.home);
        const aside = `${dir}.aside`;
        renameSync(dir, aside);
        try {
          await win.runCommand('Chroma: Download Default Embedding Model');
          const message = await expectErrorToast(win, 'the download\'s error', /^Cannot download Chroma's default model/, 90_000);
          assert.match(message, /^Cannot download Chroma's default model from chroma-onnx-models\.s3\.amazonaws\.com: .+\. Check the network, or copy a cached all-MiniLM-L6-v2 folder into .+all-MiniLM-L6-v2\.$/);
          const shown = (await win.toasts()).map((t) => t.message);
          assert.ok(shown.some((m) => m.startsWith("Downloading Chroma's default embedding model (all-MiniLM-L6-v2)")), `the progress was shown: ${shown.join(' | ')}`);
          assert.ok(!existsSync(`${dir}/onnx/model.onnx`), 'no model was installed');
        } finally {
          rmSync(dir, { recursive: true, force: true });
          renameSync(aside, dir);
        }
      },
    ),
  );
});
