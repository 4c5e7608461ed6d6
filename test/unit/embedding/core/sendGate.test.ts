import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import { describeApprovals, EmbeddingApprovals } from '../../../../src/embedding/core/approvals';
import { HOSTED } from '../../../../src/embedding/core/hosted';
import type { KeySource } from '../../../../src/embedding/core/keyPolicy';
import { resolveEmbeddingFunction } from '../../../../src/embedding/core/resolve';
import { clearToSend } from '../../../../src/embedding/core/sendGate';
import { uniqueName, useChromaServer } from '../../../support/fixtures';
import { embeddingsAnswer, HttpStub } from '../../../support/httpStub';
import { rejectsWith, User } from './approvalUser';

/**
 * The documents and queries a collection embeds go to the host its configuration names, and that configuration
 * comes from the Chroma server. A local server that records every request plays the host someone wrote there: it
 * must get no byte until the user allows it, and exactly the request after.
 */
describe('document text goes only to a host the user allowed for that function', () => {
  const ctx = useChromaServer();
  let recorder: HttpStub;
  beforeEach(async () => {
    recorder = await HttpStub.start(embeddingsAnswer);
  });
  afterEach(async () => {
    await recorder.stop();
  });

  it('a collection on the server with {ollama, url: another host}: nothing is sent until Allow, then exactly the request; remembered; forgetting asks again', async () => {
    const client = new ChromaClient({ url: ctx.server.url });
    const name = uniqueName('notes');
    await client.createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'ollama', config: { url: recorder.url, model_name: 'nomic-embed-text' } } } });
    const user = new User(() => false);
    const ef = resolveEmbeddingFunction(await client.getCollection(name), { keys: { env: {}, approvals: user.approvals, requester: `Collection "${name}"` } });

    // Cancel: not a byte, and the message says so and how to allow it.
    await rejectsWith(
      ef.embed(['secret plans']),
      'not-allowed',
      new RegExp(
        `^Nothing was sent: your documents may not go to ${recorder.origin}, which the collection's url names\\. If you trust that host, try again and choose Allow; otherwise fix the url in the collection's embedding configuration\\.$`,
      ),
    );
    assert.deepEqual(user.asked, [`Collection "${name}" asks to send your documents to ${recorder.origin} to be embedded.`]);
    assert.match(user.questions[0].detail, /^That host would receive the text of the documents you add and the queries you run\. It is the url of the collection's ollama embedding function, whose configuration comes from the Chroma server\. Nothing is sent unless you allow it; the answer is remembered for ollama and this host\.$/);
    assert.equal(recorder.seen.length, 0);

    // Allow: exactly the request, once.
    user.answer = () => true;
    assert.deepEqual(await ef.embed(['secret plans']), [[0.1, 0.2, 0.3]]);
    assert.equal(user.asked.length, 2);
    assert.deepEqual(
      recorder.seen.map((r) => [r.method, r.path, r.body]),
      [['POST', '/api/embed', { model: 'nomic-embed-text', input: ['secret plans'] }]],
    );

    // Remembered, per function and origin: no second question.
    user.answer = () => false;
    await ef.embed(['more plans']);
    assert.equal(user.asked.length, 2);
    assert.equal(recorder.seen.length, 2);
    assert.deepEqual(user.store.ids(), [EmbeddingApprovals.textId('ollama', recorder.origin)]);

    // ApprovalCounts: asked again; Cancel sends nothing.
    assert.deepEqual(await user.approvals.forgetAll(), { hosts: 1, keys: 0, variables: 0 });
    await rejectsWith(ef.embed(['plans again']), 'not-allowed', /^Nothing was sent/);
    assert.equal(user.asked.length, 3);
    assert.equal(recorder.seen.length, 2);
  });

  it('huggingface_server without api_key_env_var (no documented host): asks for every host, even localhost; no key goes', async () => {
    const user = new User(() => false);
    const ef = HOSTED.huggingface_server({ url: `${recorder.url}/embed` }, { env: { HF_TOKEN: 'hf-secret' }, approvals: user.approvals, requester: 'Collection "notes"' });
    await rejectsWith(ef.embed(['x']), 'not-allowed', new RegExp(`^Nothing was sent: your documents may not go to ${recorder.origin}, which the collection's url names\\.`));
    assert.equal(recorder.seen.length, 0);
    await rejectsWith(clearToSend({ fn: 'huggingface_server', url: 'http://localhost:8080/embed', field: 'url' }, { env: {}, approvals: user.approvals }), 'not-allowed', /http:\/\/localhost:8080/);
    assert.deepEqual(user.asked, [`Collection "notes" asks to send your documents to ${recorder.origin} to be embedded.`, 'A collection asks to send your documents to http://localhost:8080 to be embedded.']);

    user.answer = () => true;
    await ef.embed(['x']);
    assert.equal(recorder.seen.length, 1);
    assert.deepEqual(recorder.seen[0].body, { inputs: ['x'] });
    assert.equal(recorder.seen[0].headers.authorization, undefined);
  });

  it('openai with api_base and a key from the environment: one question for the documents and the key, both remembered', async () => {
    const user = new User(() => true);
    const ef = HOSTED.openai({ model_name: 'm', api_base: `${recorder.url}/v1` }, { env: { OPENAI_API_KEY: 'sk-user' }, approvals: user.approvals, requester: 'Collection "notes"' });
    await ef.embed(['a']);
    assert.deepEqual(user.asked, [`Collection "notes" asks to send your documents to ${recorder.origin} to be embedded, with the key from OPENAI_API_KEY.`]);
    assert.match(user.questions[0].detail, /remembered for openai and this host, and for OPENAI_API_KEY's key and this host\.$/);
    assert.deepEqual(user.store.ids().sort(), [EmbeddingApprovals.sendId('OPENAI_API_KEY', recorder.origin), EmbeddingApprovals.textId('openai', recorder.origin)].sort());
    await ef.embed(['b']);
    assert.equal(user.asked.length, 1);
    assert.deepEqual(recorder.seen.map((r) => [r.path, r.headers.authorization, r.body.input]), [['/v1/embeddings', 'Bearer sk-user', ['a']], ['/v1/embeddings', 'Bearer sk-user', ['b']]]);
  });

  it('documents already allowed to a host: a key that shows up later asks about the key alone', async () => {
    const user = new User(() => true);
    const config = { model_name: 'm', api_base: recorder.url };
    const saved = { getOrAsk: () => Promise.resolve('') }; // the user said the server needs no key
    await HOSTED.openai(config, { env: {}, approvals: user.approvals, saved }).embed(['a']);
    assert.equal(recorder.seen[0].headers.authorization, undefined);
    user.answer = () => false;
    await rejectsWith(HOSTED.openai(config, { env: { OPENAI_API_KEY: 'sk' }, approvals: user.approvals, saved }).embed(['b']), 'not-allowed', /your documents and the key from OPENAI_API_KEY may not go to/);
    assert.deepEqual(user.asked, [`A collection asks to send your documents to ${recorder.origin} to be embedded.`, `A collection asks to send the key from OPENAI_API_KEY to ${recorder.origin}.`]);
    assert.equal(recorder.seen.length, 1);
  });

  it('every provider whose URL comes from the configuration passes the same gate: one question each, nothing sent on Cancel', async () => {
    const user = new User(() => false);
    const env = { OPENAI_API_KEY: 'o', VOYAGE_API_KEY: 'v', JINA_API_KEY: 'j', COHERE_API_KEY: 'c', GEMINI_API_KEY: 'g' };
    const keys: KeySource = { env, approvals: user.approvals };
    const configs: Array<[string, Record<string, unknown>, string]> = [
      ['openai', { model_name: 'm', api_base: recorder.url }, 'api_base'],
      ['voyageai', { model_name: 'm', api_base: recorder.url }, 'api_base'],
      ['jina', { model_name: 'm', api_base: recorder.url }, 'api_base'],
      ['cohere', { model_name: 'm', api_url: recorder.url }, 'api_url'],
      ['google_genai', { model_name: 'm', api_base: recorder.url }, 'api_base'],
      ['ollama', { model_name: 'm', url: recorder.url }, 'url'],
      ['huggingface_server', { url: recorder.url }, 'url'],
    ];
    for (const [fn, config, field] of configs) {
      await rejectsWith(HOSTED[fn](config, keys).embed(['secret']), 'not-allowed', new RegExp(`may not go to ${recorder.origin}, which the collection's ${field} names`));
      assert.match(user.questions.at(-1)!.detail, new RegExp(`(It|This host) is the ${field} of the collection's ${fn} embedding function, whose`));
    }
    assert.equal(user.asked.length, configs.length);
    assert.equal(recorder.seen.length, 0);
    // A URL that is not plain http(s) is refused before anything is asked, for ollama too.
    await rejectsWith(HOSTED.ollama({ model_name: 'm', url: 'file:///etc/passwd' }, keys).embed(['x']), 'bad-response', /ollama embedding function's url uses file:/);
    assert.equal(user.asked.length, configs.length);
  });

  it('the documented default origins go without a question; without a way to ask, another host is refused', async () => {
    const user = new User(() => false);
    const keys: KeySource = { env: { OPENAI_API_KEY: 'sk', COHERE_API_KEY: 'co' }, approvals: user.approvals };
    assert.equal((await clearToSend({ fn: 'ollama', url: 'http://localhost:11434/api/embed', field: 'url' }, keys)).origin, 'http://localhost:11434');
    assert.equal((await clearToSend({ fn: 'openai', url: 'https://api.openai.com/v1/embeddings', field: 'api_base', key: {} }, keys)).key, 'sk');
    assert.equal((await clearToSend({ fn: 'cohere', url: 'https://api.cohere.com/v2/embed', field: 'api_url', key: {} }, keys)).key, 'co');
    assert.equal(user.asked.length, 0);
    // 127.0.0.1 is not localhost: only the documented origin, exactly.
    await rejectsWith(clearToSend({ fn: 'ollama', url: 'http://127.0.0.1:11434/api/embed', field: 'url' }, keys), 'not-allowed', /http:\/\/127\.0\.0\.1:11434/);
    await rejectsWith(HOSTED.ollama({ model_name: 'm', url: recorder.url }, { env: {} }).embed(['x']), 'not-allowed', /^Nothing was sent/);
    assert.equal(recorder.seen.length, 0);
  });

  it('an approval is per function: a host allowed for ollama still asks for huggingface_server; batches at once ask once', async () => {
    const user = new User(() => true);
    const ollama = HOSTED.ollama({ model_name: 'm', url: recorder.url }, { env: {}, approvals: user.approvals });
    // Three batches ask before any answer is stored: the pending question is shared.
    await Promise.all([ollama.embed(['a']), ollama.embed(['b']), ollama.embed(['c'])]);
    assert.equal(user.asked.length, 1);
    assert.equal(recorder.seen.length, 3);
    await HOSTED.huggingface_server({ url: recorder.url }, { env: {}, approvals: user.approvals }).embed(['d']);
    assert.equal(user.asked.length, 2);
    assert.equal(recorder.seen.length, 4);
  });

  it('forgetting clears every kind and says how many of each', async () => {
    const user = new User(() => true);
    const env = { MY_KEY: 'k' };
    await HOSTED.openai({ model_name: 'm', api_base: recorder.url, api_key_env_var: 'MY_KEY' }, { env, approvals: user.approvals }).embed(['a']);
    await HOSTED.ollama({ model_name: 'm', url: recorder.url }, { env, approvals: user.approvals }).embed(['b']);
    await user.store.add('chroma.embeddingChoice/other'); // globalState holds other things: left alone
    const counted = user.approvals.count();
    assert.deepEqual(counted, { hosts: 2, keys: 1, variables: 1 });
    assert.equal(describeApprovals(counted), '2 hosts allowed to receive your documents, 1 key allowed to go to another host, 1 variable allowed to be read as a key');
    assert.deepEqual(await user.approvals.forgetAll(), counted);
    assert.deepEqual(user.store.ids(), ['chroma.embeddingChoice/other']);
    assert.equal(describeApprovals(user.approvals.count()), '');
  });
});
