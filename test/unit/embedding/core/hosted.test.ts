import * as assert from 'node:assert/strict';
import { HOSTED } from '../../../../src/embedding/core/hosted';
import type { KeySource } from '../../../../src/embedding/core/hosted';
import type { SavedKeySource } from '../../../../src/embedding/core/savedKeys';
import { EmbeddingError } from '../../../../src/embedding/core/types';
import { HttpStub } from '../../../support/httpStub';
import type { StubRequest } from '../../../support/httpStub';

/** Stand-ins for the providers' HTTP APIs (these machines reach none of them), answering in each one's shape. */
const provider = (answer: (req: StubRequest) => unknown) => HttpStub.start((req) => ({ body: answer(req) }));

const vec = (text: string, dim = 3) => Array.from({ length: dim }, (_, i) => text.length + i);
/** These suites check the wire format: the user allows every host and variable (keyPolicy.test.ts checks the asking). */
const allowAll = { mayReadEnvVar: () => Promise.resolve(true), maySend: () => Promise.resolve(true) };
const keys = (env: Record<string, string>, saved?: SavedKeySource): KeySource => ({ env, approvals: allowAll, saved });

describe('hosted embedding functions (local stand-ins for each API)', () => {
  const texts = ['one', 'three', 'seventeen'];

  it('openai: POST {api_base}/embeddings with model and dimensions; key from api_key_env_var; order by index', async () => {
    const fake = await provider((req) => {
      const input = req.body.input as string[];
      return { object: 'list', data: input.map((t, index) => ({ object: 'embedding', index, embedding: vec(t) })).reverse(), model: req.body.model };
    });
    try {
      const ef = HOSTED.openai({ model_name: 'text-embedding-3-small', api_key_env_var: 'MY_OPENAI_KEY', api_base: `${fake.url}/v1`, dimensions: 3, organization_id: 'org-1' }, keys({ MY_OPENAI_KEY: 'sk-env' }));
      assert.deepEqual(await ef.embed(texts), texts.map((t) => vec(t)));
      const req = fake.seen[0];
      assert.equal(req.path, '/v1/embeddings');
      assert.equal(req.headers.authorization, 'Bearer sk-env');
      assert.equal(req.headers['openai-organization'], 'org-1');
      assert.deepEqual(req.body, { input: texts, model: 'text-embedding-3-small', dimensions: 3 });
    } finally {
      await fake.stop();
    }
  });

  it('a missing key: from secret storage when the environment has none, else a message naming the variable', async () => {
    const fake = await provider((req) => ({ data: (req.body.input as string[]).map((t, index) => ({ index, embedding: vec(t) })) }));
    try {
      const config = { model_name: 'voyage-3', api_key_env_var: 'VOYAGE_API_KEY', api_base: `${fake.url}/v1`, input_type: 'document' };
      const asked: string[] = [];
      const ef = HOSTED.voyageai(config, keys({}, { getOrAsk: (req) => (asked.push(`${req.fn}:${req.envVar}:${req.origin}`), Promise.resolve('pa-secret')) }));
      await ef.embed(['x']);
      assert.deepEqual(asked, [`voyageai:VOYAGE_API_KEY:${fake.url}`]);
      assert.equal(fake.seen[0].headers.authorization, 'Bearer pa-secret');
      assert.equal(fake.seen[0].body.input_type, 'document');
      await assert.rejects(HOSTED.voyageai(config, { env: {} }).embed(['x']), (e: unknown) => {
        assert.ok(e instanceof EmbeddingError);
        assert.equal(e.code, 'missing-key');
        assert.match(e.message, /No API key for the voyageai embedding function: set CHROMA_VOYAGE_API_KEY or VOYAGE_API_KEY/);
        return true;
      });
    } finally {
      await fake.stop();
    }
  });

  it('401 and 429 become clear messages, and an echoed key is masked', async () => {
    const fake = await provider(() => ({}));
    try {
      const ef = HOSTED.jina({ model_name: 'jina-embeddings-v3', api_key_env_var: 'JINA_API_KEY', api_base: fake.url }, keys({ JINA_API_KEY: 'jina_secret_123' }));
      fake.answer = (req) => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}` } } });
      await assert.rejects(ef.embed(['x']), (e: unknown) => {
        assert.ok(e instanceof EmbeddingError);
        assert.equal(e.code, 'unauthorized');
        assert.match(e.message, /refused the API key \(401\)/);
        assert.ok(!e.message.includes('jina_secret_123'), e.message);
        return true;
      });
      fake.answer = () => ({ status: 429, headers: { 'retry-after': '7' }, body: { message: 'Rate limit reached' } });
      await assert.rejects(ef.embed(['x']), (e: unknown) => {
        assert.ok(e instanceof EmbeddingError);
        assert.equal(e.code, 'rate-limited');
        assert.match(e.message, /rate-limiting requests \(429\): Rate limit reached\. It asks to wait 7 s\./);
        return true;
      });
    } finally {
      await fake.stop();
    }
  });

  it('jina: task, dimensions and late_chunking pass through', async () => {
    const fake = await provider((req) => ({ data: (req.body.input as string[]).map((t, index) => ({ index, embedding: vec(t) })) }));
    try {
      const ef = HOSTED.jina({ model_name: 'jina-embeddings-v3', api_key_env_var: 'JINA_API_KEY', api_base: fake.url, task: 'retrieval.passage', dimensions: 3, late_chunking: true }, keys({ JINA_API_KEY: 'k' }));
      await ef.embed(texts);
      assert.deepEqual(fake.seen[0].body, { input: texts, model: 'jina-embeddings-v3', task: 'retrieval.passage', dimensions: 3, late_chunking: true });
      assert.equal(fake.seen[0].path, '/embeddings');
    } finally {
      await fake.stop();
    }
  });

  it('ollama: POST {url}/api/embed {model, input} → embeddings', async () => {
    const fake = await provider((req) => ({ model: req.body.model, embeddings: (req.body.input as string[]).map((t) => vec(t, 4)) }));
    try {
      const ef = HOSTED.ollama({ url: `${fake.url}/api/embeddings`, model_name: 'nomic-embed-text', timeout: 5 }, keys({}));
      assert.deepEqual(await ef.embed(texts), texts.map((t) => vec(t, 4)));
      assert.equal(fake.seen[0].path, '/api/embed');
      assert.deepEqual(fake.seen[0].body, { model: 'nomic-embed-text', input: texts });
    } finally {
      await fake.stop();
    }
  });

  it('cohere: POST /v2/embed with input_type and float embeddings', async () => {
    const fake = await provider((req) => ({ id: 'x', embeddings: { float: (req.body.texts as string[]).map((t) => vec(t)) }, texts: req.body.texts }));
    try {
      const ef = HOSTED.cohere({ model_name: 'embed-english-v3.0', api_key_env_var: 'COHERE_API_KEY', api_url: fake.url }, keys({ COHERE_API_KEY: 'co-key' }));
      assert.deepEqual(await ef.embed(texts), texts.map((t) => vec(t)));
      assert.equal(fake.seen[0].path, '/v2/embed');
      assert.equal(fake.seen[0].headers.authorization, 'Bearer co-key');
      assert.deepEqual(fake.seen[0].body, { model: 'embed-english-v3.0', texts, input_type: 'search_document', embedding_types: ['float'] });
    } finally {
      await fake.stop();
    }
  });

  it('huggingface_server: POST {url} {inputs} → a list of vectors (text-embeddings-inference)', async () => {
    const fake = await provider((req) => (req.body.inputs as string[]).map((t) => vec(t)));
    try {
      const ef = HOSTED.huggingface_server({ url: `${fake.url}/embed` }, keys({}));
      assert.deepEqual(await ef.embed(texts), texts.map((t) => vec(t)));
      assert.equal(fake.seen[0].path, '/embed');
      assert.equal(fake.seen[0].headers.authorization, undefined);
    } finally {
      await fake.stop();
    }
  });

  it('google_genai: batchEmbedContents with x-goog-api-key; Vertex AI is refused with a reason', async () => {
    const fake = await provider((req) => ({ embeddings: (req.body.requests as Array<{ content: { parts: Array<{ text: string }> } }>).map((r) => ({ values: vec(r.content.parts[0].text) })) }));
    try {
      const ef = HOSTED.google_genai({ model_name: 'text-embedding-004', api_base: fake.url }, keys({ GEMINI_API_KEY: 'g-key' }));
      assert.deepEqual(await ef.embed(texts), texts.map((t) => vec(t)));
      assert.equal(fake.seen[0].path, '/v1beta/models/text-embedding-004:batchEmbedContents');
      assert.equal(fake.seen[0].headers['x-goog-api-key'], 'g-key');
      await assert.rejects(HOSTED.google_genai({ model_name: 'm', vertexai: true }, keys({})).embed(['x']), /Vertex AI/);
    } finally {
      await fake.stop();
    }
  });

  it('a provider answering the wrong number of vectors is an error, not silent garbage', async () => {
    const fake = await provider(() => [[1, 2, 3]]);
    try {
      await assert.rejects(HOSTED.huggingface_server({ url: fake.url }, keys({})).embed(['a', 'b']), /answered without 2 embeddings/);
    } finally {
      await fake.stop();
    }
  });
});
