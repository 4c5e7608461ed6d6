import * as assert from 'node:assert/strict';
import { HOSTED } from '../../../../src/embedding/core/hosted';
import { EmbeddingApprovals } from '../../../../src/embedding/core/approvals';
import { defaultOrigin, safeConfigHeaders } from '../../../../src/embedding/core/keyPolicy';
import type { KeySource } from '../../../../src/embedding/core/keyPolicy';
import { legacyKeySlot, SavedKeys, savedKeySlot } from '../../../../src/embedding/core/savedKeys';
import type { KeyRequest, SecretStore } from '../../../../src/embedding/core/savedKeys';
import { clearToSend } from '../../../../src/embedding/core/sendGate';
import { embeddingsAnswer, HttpStub } from '../../../support/httpStub';
import { MemoryApprovalStore, rejectsWith, User } from './approvalUser';

/**
 * A collection's embedding configuration comes from the Chroma server: whoever can write there picks the host
 * (api_base, api_url, url) and the variable (api_key_env_var). These tests play that attacker with a local HTTP
 * server that records every request, and check that it gets nothing the user did not agree to.
 */

class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  get(slot: string): Promise<string | undefined> {
    return Promise.resolve(this.map.get(slot));
  }
  store(slot: string, value: string): Promise<void> {
    this.map.set(slot, value);
    return Promise.resolve();
  }
  delete(slot: string): Promise<void> {
    this.map.delete(slot);
    return Promise.resolve();
  }
}

/** An environment that records which variables' values were read (presence checks are not reads). */
function trackedEnv(values: Record<string, string>): { env: Record<string, string | undefined>; reads: string[] } {
  const reads: string[] = [];
  const env = new Proxy(values, {
    get(target, name) {
      if (typeof name === 'string') {
        reads.push(name);
      }
      return Reflect.get(target, name) as unknown;
    },
  });
  return { env, reads };
}

describe('embedding keys go only where the user agreed (a hostile collection configuration)', () => {
  let attacker: HttpStub;
  let other: HttpStub;
  beforeEach(async () => {
    attacker = await HttpStub.start(embeddingsAnswer);
    other = await HttpStub.start(embeddingsAnswer);
  });
  afterEach(async () => {
    await attacker.stop();
    await other.stop();
  });

  it('{openai, api_base: attacker, api_key_env_var: GITHUB_TOKEN}: nothing is read or sent until the user allows both, then exactly that key', async () => {
    const { env, reads } = trackedEnv({ GITHUB_TOKEN: 'ghp_very_secret', HOME: '/home/u' });
    const user = new User(() => false);
    const keys: KeySource = { env, approvals: user.approvals, requester: 'Collection "notes"' };
    const ef = HOSTED.openai({ model_name: 'm', api_base: `${attacker.origin}/v1`, api_key_env_var: 'GITHUB_TOKEN' }, keys);

    // Cancel at "read GITHUB_TOKEN": not read, nothing sent.
    await rejectsWith(ef.embed(['secret plans']), 'not-allowed', /Nothing was sent: reading GITHUB_TOKEN as the openai key was not allowed\. Set CHROMA_OPENAI_API_KEY or OPENAI_API_KEY instead/);
    assert.deepEqual(user.asked, ['Collection "notes" asks to read the environment variable GITHUB_TOKEN as its openai key.']);
    assert.ok(!reads.includes('GITHUB_TOKEN'), `read: ${reads.join(', ')}`);
    assert.equal(attacker.seen.length, 0);

    // Allow the variable, Cancel at "send to the attacker" (one question for the documents and the key): still nothing sent.
    user.answer = (q) => /read the environment variable/.test(q.message);
    await rejectsWith(ef.embed(['secret plans']), 'not-allowed', new RegExp(`^Nothing was sent: your documents and the key from GITHUB_TOKEN may not go to ${attacker.origin}, which the collection's api_base names\\.`));
    assert.deepEqual(user.asked.slice(1), [
      'Collection "notes" asks to read the environment variable GITHUB_TOKEN as its openai key.',
      `Collection "notes" asks to send your documents to ${attacker.origin} to be embedded, with the key from GITHUB_TOKEN.`,
    ]);
    assert.equal(attacker.seen.length, 0);

    // Allow sending: exactly that key arrives, once.
    user.answer = () => true;
    await ef.embed(['secret plans']);
    assert.equal(attacker.seen.length, 1);
    assert.equal(attacker.seen[0].headers.authorization, 'Bearer ghp_very_secret');

    // Remembered: no further question.
    const asked = user.asked.length;
    await ef.embed(['more']);
    assert.equal(user.asked.length, asked);
    assert.equal(attacker.seen.length, 2);
  });

  it('a conventional variable (OPENAI_API_KEY) is read without asking, but goes to another host only after Allow', async () => {
    const { env, reads } = trackedEnv({ OPENAI_API_KEY: 'sk-real', GITHUB_TOKEN: 'ghp_x' });
    const user = new User(() => false);
    const ef = HOSTED.openai({ model_name: 'm', api_base: attacker.origin, api_key_env_var: 'GITHUB_TOKEN' }, { env, approvals: user.approvals });
    await rejectsWith(ef.embed(['x']), 'not-allowed', /the key from OPENAI_API_KEY may not go to/);
    assert.deepEqual(user.asked, [`A collection asks to send your documents to ${attacker.origin} to be embedded, with the key from OPENAI_API_KEY.`]);
    assert.ok(!reads.includes('GITHUB_TOKEN'));
    assert.equal(attacker.seen.length, 0);
    // The provider's own host needs no approval.
    const toOpenAI = await clearToSend({ fn: 'openai', url: 'https://api.openai.com/v1/embeddings', field: 'api_base', key: { envVar: 'GITHUB_TOKEN' } }, { env, approvals: user.approvals });
    assert.equal(toOpenAI.key, 'sk-real');
    assert.equal(user.asked.length, 1);
  });

  it('approving origin A does not approve origin B; without approvals at all, no other host gets a key', async () => {
    const user = new User(() => true);
    const env = { OPENAI_API_KEY: 'sk-real' };
    await HOSTED.openai({ model_name: 'm', api_base: attacker.origin }, { env, approvals: user.approvals }).embed(['x']);
    assert.equal(attacker.seen[0].headers.authorization, 'Bearer sk-real');
    user.answer = () => false;
    await rejectsWith(HOSTED.openai({ model_name: 'm', api_base: other.origin }, { env, approvals: user.approvals }).embed(['x']), 'not-allowed', new RegExp(other.origin));
    assert.equal(other.seen.length, 0);
    assert.equal(user.asked.length, 2);
    // No dialog possible (no approvals): refused, nothing sent.
    await rejectsWith(HOSTED.cohere({ model_name: 'm', api_key_env_var: 'COHERE_API_KEY', api_url: other.origin }, { env: { COHERE_API_KEY: 'co' } }).embed(['x']), 'not-allowed', /api_url/);
    await rejectsWith(HOSTED.google_genai({ model_name: 'm', api_base: other.origin }, { env: { GEMINI_API_KEY: 'g' } }).embed(['x']), 'not-allowed', /GEMINI_API_KEY/);
    await rejectsWith(HOSTED.huggingface_server({ url: other.origin, api_key_env_var: 'HF_TOKEN' }, { env: { HF_TOKEN: 'hf' } }).embed(['x']), 'not-allowed', /HF_TOKEN/);
    assert.equal(other.seen.length, 0);
  });

  it('an approval is per variable too: allowing OPENAI_API_KEY to a host does not allow COHERE_API_KEY there', async () => {
    const user = new User(() => true);
    await HOSTED.openai({ model_name: 'm', api_base: attacker.origin }, { env: { OPENAI_API_KEY: 'sk' }, approvals: user.approvals }).embed(['x']);
    user.answer = () => false;
    await rejectsWith(HOSTED.cohere({ model_name: 'm', api_key_env_var: 'COHERE_API_KEY', api_url: attacker.origin }, { env: { COHERE_API_KEY: 'co' }, approvals: user.approvals }).embed(['x']), 'not-allowed', /COHERE_API_KEY/);
    assert.equal(attacker.seen.length, 1);
  });

  it('a key saved for the provider\'s own host is never offered to another host; one entered for a host stays with it', async () => {
    const secrets = new MemorySecrets();
    await secrets.store(savedKeySlot('openai', 'https://api.openai.com', 'OPENAI_API_KEY'), 'sk-saved-new');
    await secrets.store(legacyKeySlot('openai', 'OPENAI_API_KEY'), 'sk-saved-old');
    const prompts: Array<KeyRequest & { prompt: string }> = [];
    let typed: string | undefined;
    const saved = new SavedKeys(secrets, (req) => (prompts.push(req), Promise.resolve(typed)), defaultOrigin);
    const user = new User(() => true);
    const ef = HOSTED.openai({ model_name: 'm', api_base: attacker.origin }, { env: {}, approvals: user.approvals, saved, requester: 'Collection "notes"' });

    // Cancelled key entry: nothing sent.
    await rejectsWith(ef.embed(['x']), 'missing-key', new RegExp(`Nothing was sent to ${attacker.origin}: no openai key was entered`));
    assert.equal(attacker.seen.length, 0);
    assert.equal(prompts[0].origin, attacker.origin);
    assert.match(prompts[0].prompt, new RegExp(`^Collection "notes" sends this key to ${attacker.origin}\\..*for that host only, or leave it empty`));

    // Empty entry for a server that needs no key: the texts go, no key does.
    typed = '';
    await ef.embed(['x']);
    assert.equal(attacker.seen.length, 1);
    assert.equal(attacker.seen[0].headers.authorization, undefined);

    // A key typed for that host goes there and is kept for that host only.
    typed = 'sk-for-attacker-host';
    await ef.embed(['x']);
    assert.equal(attacker.seen[1].headers.authorization, 'Bearer sk-for-attacker-host');
    assert.equal(secrets.map.get(savedKeySlot('openai', attacker.origin, 'OPENAI_API_KEY')), 'sk-for-attacker-host');
    assert.equal(secrets.map.get(savedKeySlot('openai', 'https://api.openai.com', 'OPENAI_API_KEY')), 'sk-saved-new');
    assert.ok(![...attacker.seen.map((s) => String(s.headers.authorization))].some((a) => a.includes('sk-saved')));
    // The documents were allowed to go there once, before the first key prompt; a key typed for that host needs no question.
    assert.deepEqual(user.asked, [`Collection "notes" asks to send your documents to ${attacker.origin} to be embedded.`]);
  });

  it('old keys (saved per function and variable) serve only the provider\'s own host, and move to its slot', async () => {
    const secrets = new MemorySecrets();
    await secrets.store(legacyKeySlot('openai', 'OPENAI_API_KEY'), 'sk-old');
    await secrets.store(legacyKeySlot('huggingface_server', 'HF_TOKEN'), 'hf-old');
    const saved = new SavedKeys(secrets, () => Promise.resolve(undefined), defaultOrigin);
    const req = (fn: string, origin: string, envVar: string) => ({ fn, origin, envVar, requester: 'Collection "c"' });
    assert.equal(await saved.get(req('openai', attacker.origin, 'OPENAI_API_KEY')), undefined);
    assert.equal(await saved.get(req('openai', 'https://api.openai.com', 'OPENAI_API_KEY')), 'sk-old');
    assert.equal(secrets.map.get(savedKeySlot('openai', 'https://api.openai.com', 'OPENAI_API_KEY')), 'sk-old');
    assert.equal(secrets.map.has(legacyKeySlot('openai', 'OPENAI_API_KEY')), false);
    // No own host to bind it to: dropped, never used.
    assert.equal(await saved.get(req('huggingface_server', attacker.origin, 'HF_TOKEN')), undefined);
    assert.equal(secrets.map.has(legacyKeySlot('huggingface_server', 'HF_TOKEN')), false);
  });

  it('default_headers from the configuration cannot set credentials; they are dropped with a warning that shows no value', async () => {
    const warnings: string[] = [];
    const user = new User(() => true);
    const ef = HOSTED.openai(
      { model_name: 'm', api_base: attacker.origin, default_headers: { Authorization: 'Bearer server-chosen', 'X-Api-Key': 'k1', 'api-key': 'k2', 'x-goog-api-key': 'k3', Cookie: 'c', 'X-Trace': 'ok', 'X-Bad': 'a\r\nb', 'X-Num': 3 } },
      { env: { OPENAI_API_KEY: 'sk-user' }, approvals: user.approvals, warn: (m) => warnings.push(m) },
    );
    await ef.embed(['x']);
    const h = attacker.seen[0].headers;
    assert.equal(h.authorization, 'Bearer sk-user');
    assert.equal(h['x-api-key'], undefined);
    assert.equal(h['api-key'], undefined);
    assert.equal(h['x-goog-api-key'], undefined);
    assert.equal(h.cookie, undefined);
    assert.equal(h['x-trace'], 'ok');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /ignored default_headers Authorization, X-Api-Key, api-key, x-goog-api-key, Cookie, X-Bad, X-Num/);
    assert.ok(!/server-chosen|k1|k2|k3/.test(warnings[0]));
    // Without a key, a server-chosen Authorization does not slip through either.
    assert.deepEqual(safeConfigHeaders('openai', { authorization: 'Bearer x' }), {});
  });

  it('a redirect from an approved host is not followed: the key never reaches the host it points to', async () => {
    const user = new User(() => true);
    attacker.answer = () => ({ status: 307, headers: { location: `${other.origin}/v1/embeddings` } });
    await rejectsWith(
      HOSTED.openai({ model_name: 'm', api_base: attacker.origin }, { env: { OPENAI_API_KEY: 'sk' }, approvals: user.approvals }).embed(['x']),
      'bad-response',
      new RegExp(`answered with a redirect \\(307\\) to ${other.origin}, which is not followed`),
    );
    await rejectsWith(HOSTED.google_genai({ model_name: 'm', api_base: attacker.origin }, { env: { GEMINI_API_KEY: 'g' }, approvals: user.approvals }).embed(['x']), 'bad-response', /redirect/);
    assert.equal(attacker.seen.length, 2);
    assert.equal(other.seen.length, 0);
  });

  it('several embeds at once ask one question', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let asked = 0;
    const approvals = new EmbeddingApprovals(new MemoryApprovalStore(), async () => {
      asked++;
      await gate;
      return true;
    });
    const ef = HOSTED.openai({ model_name: 'm', api_base: attacker.origin }, { env: { OPENAI_API_KEY: 'sk' }, approvals });
    const all = Promise.all([ef.embed(['a']), ef.embed(['b']), ef.embed(['c'])]);
    await new Promise((r) => setTimeout(r, 50));
    release();
    await all;
    assert.equal(asked, 1);
    assert.equal(attacker.seen.length, 3);
  });

  it('configurations that cannot be trusted as given are refused before anything is read or sent', async () => {
    const { env, reads } = trackedEnv({ OPENAI_API_KEY: 'sk' });
    const user = new User(() => true);
    const keys: KeySource = { env, approvals: user.approvals };
    const withCreds = attacker.origin.replace('http://', 'http://user:pass@');
    await rejectsWith(HOSTED.openai({ model_name: 'm', api_base: withCreds }, keys).embed(['x']), 'bad-response', /api_base contains a user name or password/);
    await rejectsWith(HOSTED.openai({ model_name: 'm', api_base: 'file:///etc' }, keys).embed(['x']), 'bad-response', /api_base uses file:; only http and https/);
    await rejectsWith(HOSTED.openai({ model_name: 'm', api_base: attacker.origin, api_key_env_var: '../x/OPENAI_API_KEY' }, keys).embed(['x']), 'bad-response', /is not an environment variable name/);
    await rejectsWith(HOSTED.cohere({ model_name: 'm', api_key_env_var: 'COHERE_API_KEY', api_url: 'not a url' }, keys).embed(['x']), 'bad-response', /api_url is not a URL \("not a url\/v2\/embed"\)/);
    assert.deepEqual(reads, []);
    assert.equal(user.asked.length, 0);
    assert.equal(attacker.seen.length, 0);
    // A name that only exists on Object.prototype is not a variable.
    await rejectsWith(HOSTED.cohere({ model_name: 'm', api_url: attacker.origin, api_key_env_var: 'toString' }, { env: {}, approvals: user.approvals }).embed(['x']), 'missing-key', /No API key for the cohere embedding function: set CHROMA_COHERE_API_KEY or COHERE_API_KEY or toString/);
    assert.equal(user.asked.length, 0);
    assert.equal(attacker.seen.length, 0);
  });
});
