/**
 * Hosted embedding functions over HTTP (ofetch), configured with the keys Chroma stores for them:
 * openai (and OpenAI-compatible servers through api_base), ollama, cohere, voyageai, jina, huggingface_server,
 * google_genai. Whether the texts (and which key) may go to the host the configuration names is sendGate.ts's
 * decision: `post` sends only a request it cleared. Redirects are never followed, so a request and its key reach
 * only that host. No `vscode` here.
 */
import type { FetchResponse } from 'ofetch';
import { redact } from '../../chroma/auth';
import { displayLine } from '../../util/text';
import { safeConfigHeaders } from './keyPolicy';
import type { KeySource } from './keyPolicy';
import { clearToSend } from './sendGate';
import type { Cleared } from './sendGate';
import { EmbeddingError } from './types';
import type { EmbeddingFunction } from './types';

export type { KeySource } from './keyPolicy';

type Config = Record<string, unknown>;

const str = (c: Config, k: string): string | undefined => (typeof c[k] === 'string' && c[k] ? (c[k] as string) : undefined);
const num = (c: Config, k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
const bool = (c: Config, k: string): boolean | undefined => (typeof c[k] === 'boolean' ? (c[k] as boolean) : undefined);

function required(c: Config, k: string, fn: string): string {
  const v = str(c, k);
  if (!v) {
    throw new EmbeddingError(`The ${fn} embedding function's configuration has no "${k}".`, 'bad-response');
  }
  return v;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return displayLine(url, 80);
  }
}

/** One POST of a request the gate cleared, with its errors mapped to messages a person can act on. */
async function post<T>(fn: string, to: Cleared, body: unknown, headers: Record<string, string>, signal?: AbortSignal, timeoutMs = 60_000): Promise<T> {
  const url = to.url;
  const host = hostOf(url);
  let res: FetchResponse<T>;
  // loaded on first use: importing ofetch loads Node's fetch machinery, which activation does not need
  const { FetchError, ofetch } = await import('ofetch');
  try {
    // redirect: 'manual': a redirect must not carry the key (or the documents) to a host nobody approved.
    res = await ofetch.raw<T>(url, { method: 'POST', body: body as Record<string, unknown>, headers, signal, timeout: signal ? undefined : timeoutMs, retry: 0, redirect: 'manual' });
  } catch (e) {
    if (e instanceof FetchError && e.response) {
      const status = e.response.status;
      // Providers sometimes echo the key they were sent: mask every header value before showing their words.
      const secrets = Object.values(headers).flatMap((v) => [v, v.replace(/^Bearer /, '')]);
      const detail = redact(providerMessage(e.data), secrets);
      if (status === 401 || status === 403) {
        throw new EmbeddingError(`${fn} at ${host} refused the API key (${status})${detail}. Check the key (it is never shown here).`, 'unauthorized');
      }
      if (status === 429) {
        const retry = e.response.headers.get('retry-after');
        throw new EmbeddingError(
          `${fn} at ${host} is rate-limiting requests (429)${detail}.${retry ? ` It asks to wait ${displayLine(retry, 20)} s.` : ''} Wait and try again, or add fewer documents at once.`,
          'rate-limited',
        );
      }
      throw new EmbeddingError(`${fn} at ${host} failed with ${status}${detail}.`, 'bad-response');
    }
    throw new EmbeddingError(`Cannot reach ${fn} at ${host}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}.`, 'unreachable');
  }
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location');
    let to = '';
    try {
      to = location ? ` to ${displayLine(new URL(location, url).origin, 80)}` : '';
    } catch {
      // an unparsable Location: say only that it redirected
    }
    throw new EmbeddingError(
      `${fn} at ${host} answered with a redirect (${res.status})${to}, which is not followed, so nothing went further. Use the final URL in the embedding configuration.`,
      'bad-response',
    );
  }
  return res._data as T;
}

function providerMessage(data: unknown): string {
  if (!data || typeof data !== 'object') {
    return '';
  }
  const d = data as { error?: unknown; message?: unknown; detail?: unknown };
  const m =
    typeof d.error === 'object' && d.error !== null && typeof (d.error as { message?: unknown }).message === 'string'
      ? (d.error as { message: string }).message
      : typeof d.error === 'string'
        ? d.error
        : typeof d.message === 'string'
          ? d.message
          : typeof d.detail === 'string'
            ? d.detail
            : undefined;
  return m ? `: ${displayLine(m, 200)}` : '';
}

function vectors(fn: string, raw: unknown, count: number): number[][] {
  if (!Array.isArray(raw) || raw.length !== count || !raw.every((v) => Array.isArray(v) && v.every((x) => typeof x === 'number'))) {
    throw new EmbeddingError(`${fn} answered without ${count} embedding${count === 1 ? '' : 's'}.`, 'bad-response');
  }
  return raw as number[][];
}

type Factory = (config: Config, keys: KeySource) => EmbeddingFunction;

const openaiCompatible = (name: string, defaultBase: string, extra: (c: Config) => Record<string, unknown>): Factory => (config, keys) => {
  // Checked once per function, so a dropped header is reported once, not per batch.
  const configHeaders = safeConfigHeaders(name, config.default_headers, keys.warn);
  return {
    name,
    async embed(texts, opts) {
      const base = (str(config, 'api_base') ?? defaultBase).replace(/\/+$/, '');
      const model = required(config, 'model_name', name);
      const url = `${base}/embeddings`;
      // OpenAI-compatible servers elsewhere (vLLM, LiteLLM, Ollama) may need no key.
      const optional = name === 'openai' && str(config, 'api_base') !== undefined;
      const to = await clearToSend({ fn: name, url, field: 'api_base', key: { envVar: str(config, 'api_key_env_var'), optional } }, keys);
      const headers = { ...configHeaders };
      if (to.key) {
        headers.authorization = `Bearer ${to.key}`;
      }
      if (str(config, 'organization_id')) {
        headers['openai-organization'] = str(config, 'organization_id')!;
      }
      const res = await post<{ data?: Array<{ embedding: number[]; index?: number }> }>(
        name,
        to,
        { input: texts, model, ...extra(config) },
        headers,
        opts?.signal,
      );
      const data = [...(res.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      return vectors(name, data.map((d) => d.embedding), texts.length);
    },
  };
};

export const HOSTED: Record<string, Factory> = {
  openai: openaiCompatible('openai', 'https://api.openai.com/v1', (c) => (num(c, 'dimensions') ? { dimensions: num(c, 'dimensions') } : {})),
  voyageai: openaiCompatible('voyageai', 'https://api.voyageai.com/v1', (c) => ({
    ...(str(c, 'input_type') ? { input_type: str(c, 'input_type') } : {}),
    ...(bool(c, 'truncation') !== undefined ? { truncation: bool(c, 'truncation') } : {}),
  })),
  jina: openaiCompatible('jina', 'https://api.jina.ai/v1', (c) => ({
    ...(str(c, 'task') ? { task: str(c, 'task') } : {}),
    ...(num(c, 'dimensions') ? { dimensions: num(c, 'dimensions') } : {}),
    ...(bool(c, 'late_chunking') !== undefined ? { late_chunking: bool(c, 'late_chunking') } : {}),
    ...(bool(c, 'truncate') !== undefined ? { truncate: bool(c, 'truncate') } : {}),
    ...(bool(c, 'normalized') !== undefined ? { normalized: bool(c, 'normalized') } : {}),
    ...(str(c, 'embedding_type') ? { embedding_type: str(c, 'embedding_type') } : {}),
  })),
  ollama: (config, keys) => ({
    name: 'ollama',
    async embed(texts, opts) {
      const base = (str(config, 'url') ?? 'http://localhost:11434').replace(/\/+$/, '').replace(/\/api\/embed(dings)?$/, '');
      const timeout = (num(config, 'timeout') ?? 60) * 1000;
      const model = required(config, 'model_name', 'ollama');
      const to = await clearToSend({ fn: 'ollama', url: `${base}/api/embed`, field: 'url' }, keys);
      const res = await post<{ embeddings?: unknown }>('ollama', to, { model, input: texts }, {}, opts?.signal, timeout);
      return vectors('ollama', res.embeddings, texts.length);
    },
  }),
  cohere: (config, keys) => ({
    name: 'cohere',
    async embed(texts, opts) {
      const model = required(config, 'model_name', 'cohere');
      const url = `${(str(config, 'api_url') ?? 'https://api.cohere.com').replace(/\/+$/, '')}/v2/embed`;
      const to = await clearToSend({ fn: 'cohere', url, field: 'api_url', key: { envVar: str(config, 'api_key_env_var') } }, keys);
      const res = await post<{ embeddings?: { float?: unknown } | unknown[] }>(
        'cohere',
        to,
        { model, texts, input_type: str(config, 'input_type') ?? 'search_document', embedding_types: ['float'], ...(str(config, 'truncate') ? { truncate: str(config, 'truncate') } : {}) },
        { authorization: `Bearer ${to.key}` },
        opts?.signal,
      );
      const e = res.embeddings;
      return vectors('cohere', Array.isArray(e) ? e : e?.float, texts.length);
    },
  }),
  huggingface_server: (config, keys) => ({
    name: 'huggingface_server',
    async embed(texts, opts) {
      const url = required(config, 'url', 'huggingface_server');
      const envVar = str(config, 'api_key_env_var');
      // Without api_key_env_var the server takes no key: only the texts go, and only once the user allowed that host.
      const to = await clearToSend({ fn: 'huggingface_server', url, field: 'url', key: envVar ? { envVar, optional: true } : undefined }, keys);
      const res = await post<unknown>('huggingface_server', to, { inputs: texts }, to.key ? { authorization: `Bearer ${to.key}` } : {}, opts?.signal);
      return vectors('huggingface_server', res, texts.length);
    },
  }),
  google_genai: (config, keys) => ({
    name: 'google_genai',
    async embed(texts, opts) {
      if (bool(config, 'vertexai')) {
        throw new EmbeddingError(
          'The google_genai embedding function is configured for Vertex AI, which needs Google Cloud credentials this extension does not handle. Embed with the Gemini API instead, or add documents from your app.',
          'unsupported',
        );
      }
      const model = required(config, 'model_name', 'google_genai').replace(/^models\//, '');
      const base = (str(config, 'api_base') ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '');
      const url = `${base}/v1beta/models/${encodeURIComponent(model)}:batchEmbedContents`;
      const to = await clearToSend({ fn: 'google_genai', url, field: 'api_base', key: { envVar: str(config, 'api_key_env_var') } }, keys);
      const res = await post<{ embeddings?: Array<{ values?: number[] }> }>(
        'google_genai',
        to,
        {
          requests: texts.map((text) => ({
            model: `models/${model}`,
            content: { parts: [{ text }] },
            ...(str(config, 'task_type') ? { taskType: str(config, 'task_type') } : {}),
          })),
        },
        { 'x-goog-api-key': to.key! },
        opts?.signal,
      );
      return vectors('google_genai', (res.embeddings ?? []).map((e) => e.values), texts.length);
    },
  }),
};
