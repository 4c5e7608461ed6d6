import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import { EmbeddingApprovals } from '../../../../src/embedding/core/approvals';
import type { Question } from '../../../../src/embedding/core/approvals';
import { HOSTED } from '../../../../src/embedding/core/hosted';
import { resolveEmbeddingFunction } from '../../../../src/embedding/core/resolve';
import { trustedOrigins } from '../../../../src/embedding/core/trustedHosts';
import type { InspectedSetting } from '../../../../src/embedding/core/trustedHosts';
import { uniqueName, useChromaServer } from '../../../support/fixtures';
import { embeddingsAnswer, HttpStub } from '../../../support/httpStub';
import { MemoryApprovalStore, rejectsWith } from './approvalUser';

describe('chroma.embedding.trustedHosts: hosts the user trusts with document text', () => {
  it('only the user settings count: the same list in the workspace or a folder trusts nothing', () => {
    const hosts = ['http://embeddings.internal:8080'];
    assert.deepEqual([...trustedOrigins({ globalValue: hosts })], ['http://embeddings.internal:8080']);
    assert.deepEqual([...trustedOrigins({ workspaceValue: hosts })], []);
    assert.deepEqual([...trustedOrigins({ workspaceFolderValue: hosts })], []);
    assert.deepEqual([...trustedOrigins({ globalValue: [], workspaceValue: hosts, workspaceFolderValue: hosts })], []);
    assert.deepEqual([...trustedOrigins(undefined)], []);
  });

  it('each entry counts as its origin; entries that are not plain http(s) URLs are left out and said', () => {
    const warnings: string[] = [];
    const got = trustedOrigins(
      {
        globalValue: [
          'http://127.0.0.1:8111/embed',
          'HTTPS://Embeddings.Example.COM:443/v1',
          'embeddings.internal:8080',
          'file:///etc/passwd',
          'http://user:secret@host.example',
          42,
          '',
        ],
      },
      (m) => warnings.push(m),
    );
    assert.deepEqual([...got], ['http://127.0.0.1:8111', 'https://embeddings.example.com']);
    assert.deepEqual(warnings, [
      'chroma.embedding.trustedHosts: ignored "embeddings.internal:8080": embeddings.internal: is not http or https.',
      'chroma.embedding.trustedHosts: ignored "file:///etc/passwd": file: is not http or https.',
      'chroma.embedding.trustedHosts: ignored "http://user:secret@host.example": it contains a user name or password.',
      'chroma.embedding.trustedHosts: ignored "42": not a URL.',
      'chroma.embedding.trustedHosts: ignored "": not a URL.',
    ]);
    const notList: string[] = [];
    assert.equal(trustedOrigins({ globalValue: 'http://127.0.0.1:8111' }, (m) => notList.push(m)).size, 0);
    assert.deepEqual(notList, ['chroma.embedding.trustedHosts is not a list of URLs: no host is trusted from it.']);
  });

  describe('through the send gate, against a recording host', () => {
    const ctx = useChromaServer();
    let recorder: HttpStub;
    beforeEach(async () => {
      recorder = await HttpStub.start(embeddingsAnswer);
    });
    afterEach(async () => {
      await recorder.stop();
    });

    /** Approvals as the editor builds them: remembered answers, a modal that cancels, and the setting as inspected. */
    function approvals(setting: InspectedSetting): { approvals: EmbeddingApprovals; asked: Question[]; store: MemoryApprovalStore } {
      const asked: Question[] = [];
      const store = new MemoryApprovalStore();
      const trusted = trustedOrigins(setting);
      const a = new EmbeddingApprovals(store, (q) => (asked.push(q), Promise.resolve(false)), (origin) => trusted.has(origin));
      return { approvals: a, asked, store };
    }

    it('a collection on the server with {huggingface_server, url: a trusted host}: the text goes with no question, and nothing is remembered', async () => {
      const client = new ChromaClient({ url: ctx.server.url });
      const name = uniqueName('trusted');
      await client.createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'huggingface_server', config: { url: `${recorder.url}/embed` } } } });
      const user = approvals({ globalValue: [`${recorder.origin}/`] });
      const ef = resolveEmbeddingFunction(await client.getCollection(name), { keys: { env: { HF_TOKEN: 'hf-secret' }, approvals: user.approvals, requester: `Collection "${name}"` } });
      assert.deepEqual(await ef.embed(['where are embeddings stored?']), [[0.1, 0.2, 0.3]]);
      assert.deepEqual(user.asked, []);
      assert.deepEqual(recorder.seen.map((r) => [r.method, r.path, r.body, r.headers.authorization]), [['POST', '/embed', { inputs: ['where are embeddings stored?'] }, undefined]]);
      assert.deepEqual(user.store.ids(), [], 'the setting is the record: nothing is added to the remembered approvals');
    });

    it('the same host in the workspace settings, or another host in the user settings: asked, and Cancel sends nothing', async () => {
      for (const setting of [{ workspaceValue: [recorder.origin] }, { workspaceFolderValue: [recorder.origin] }, { globalValue: ['http://127.0.0.1:1'] }]) {
        const user = approvals(setting);
        const ef = HOSTED.huggingface_server({ url: `${recorder.url}/embed` }, { env: {}, approvals: user.approvals, requester: 'Collection "notes"' });
        await rejectsWith(ef.embed(['secret plans']), 'not-allowed', /^Nothing was sent: your documents may not go to/);
        assert.deepEqual(user.asked.map((q) => q.message), [`Collection "notes" asks to send your documents to ${recorder.origin} to be embedded.`], JSON.stringify(setting));
      }
      assert.equal(recorder.seen.length, 0);
    });

    it('trust covers the text, not a key: a key from the environment going to a trusted host still asks, about the key alone', async () => {
      const user = approvals({ globalValue: [recorder.origin] });
      const ef = HOSTED.openai({ model_name: 'm', api_base: `${recorder.url}/v1` }, { env: { OPENAI_API_KEY: 'sk-user' }, approvals: user.approvals, requester: 'Collection "notes"' });
      await rejectsWith(ef.embed(['a']), 'not-allowed', /^Nothing was sent: your documents and the key from OPENAI_API_KEY may not go to/);
      assert.deepEqual(user.asked.map((q) => q.message), [`Collection "notes" asks to send the key from OPENAI_API_KEY to ${recorder.origin}.`]);
      assert.equal(recorder.seen.length, 0);
    });
  });
});
