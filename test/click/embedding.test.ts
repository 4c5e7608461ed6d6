/**
 * The embedding approval modal answered by clicking its buttons (issue 24 §1): a collection whose embedding
 * function names an Ollama host (a recording stand-in) asks before the query's text goes there. Cancel: nothing is
 * sent and the message says so; Allow: the text is sent, and only then. The query starts from the palette, its
 * picker and text box answered by typing.
 */
import * as assert from 'node:assert/strict';
import { embeddingsAnswer, HttpStub } from '../support/httpStub';
import { clickTest } from './support/hooks';
import { answerDialog } from './support/menus';
import type { ClickWindow } from './support/window';

async function queryFromPalette(win: ClickWindow, collection: string, text: string): Promise<void> {
  await win.runCommand('Chroma: Query Collection');
  await win.pickCollection({ connection: 'acceptance', database: 'default_database', collection });
  await win.waitForQuickInput('the query text box', (q) => q.items.length === 0 && /query|search/i.test(`${q.title} ${q.message} ${q.placeholder}`));
  await win.type(text);
  await win.press('Enter');
}

describe('click: embedding approvals', () => {
  it(
    'the approval modal: Cancel sends nothing and says so; Allow sends the text to the host',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const recorder = await HttpStub.start(embeddingsAnswer);
        // the suite's server is shared: the collection goes again, so other tests count default_database as seeded
        const name = `ollama-${Date.now()}`;
        try {
          await s.client.createCollection({
            name,
            configuration: { embedding_function: { type: 'known', name: 'ollama', config: { url: recorder.url, model_name: 'nomic-embed-text' } } },
          });
          const question = `Collection "${name}" asks to send your documents to ${recorder.origin} to be embedded.`;
          const refused = `Nothing was sent: your documents may not go to ${recorder.origin}, which the collection's url names. If you trust that host, try again and choose Allow; otherwise fix the url in the collection's embedding configuration.`;
          win.expectError(/^Nothing was sent: your documents may not go to /);

          await queryFromPalette(win, name, 'secret plans');
          const asked = await answerDialog(win, /asks to send your documents/, 'Cancel');
          assert.equal(asked.message, question);
          assert.ok(asked.buttons.includes('Allow'), `the modal offers Allow: ${asked.buttons.join(', ')}`);
          await win.waitForToast('the message that nothing was sent', /^Nothing was sent:/);
          const shown = (await win.toasts()).filter((t) => t.message.startsWith('Nothing was sent:'));
          assert.deepEqual(shown.map((t) => [t.severity, t.message]), [['error', refused]]);
          assert.equal(recorder.seen.length, 0, 'nothing reached the host after Cancel');

          await queryFromPalette(win, name, 'open plans');
          await answerDialog(win, /asks to send your documents/, 'Allow');
          await win.waitFor('the text sent to the host', async () => recorder.seen.length > 0);
          assert.deepEqual(recorder.seen.map((r) => [r.method, r.path, r.body]), [['POST', '/api/embed', { model: 'nomic-embed-text', input: ['open plans'] }]]);
        } finally {
          await recorder.stop();
          await s.client.deleteCollection(name).catch(() => undefined);
        }
      },
    ),
  );
});
