import * as vscode from 'vscode';
import { withSignal } from '../platform/progress';
import type { Collection } from '../chroma';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import { EmbeddingApprovals } from './core/approvals';
import type { ApprovalCounts, ApprovalStore, AskApproval } from './core/approvals';
import { displayLine } from '../util/text';
import { defaultOrigin } from './core/keyPolicy';
import type { KeySource } from './core/keyPolicy';
import { DEFAULT_MODEL, defaultCacheDir, ensureModel, isModelCached } from './core/modelStore';
import { createEmbeddingFunction, isDefaultFunction, storedFunction, SUPPORTED_FUNCTIONS } from './core/resolve';
import { SavedKeys } from './core/savedKeys';
import { trustedOrigins } from './core/trustedHosts';
import type { AskForKey } from './core/savedKeys';
import { EmbeddingError } from './core/types';
import type { EmbeddingFunction, StoredEmbeddingFunction } from './core/types';
import { inputStep, pickStep } from '../platform/quickInput';
import type { Logger } from '../platform/log';
import { inspectSetting } from '../platform/settings';

/** Approvals live in globalState: the user's own storage, which no server writes. */
function mementoStore(state: vscode.Memento): ApprovalStore {
  return {
    has: (id) => state.get<boolean>(id) === true,
    add: (id) => state.update(id, true),
    ids: () => state.keys(),
    remove: (id) => state.update(id, undefined),
  };
}

/** A modal with Allow (and VS Code's own Cancel): only an explicit Allow counts. */
const askModal: AskApproval = async ({ message, detail }) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Allow')) === 'Allow';

const askKeyInput: AskForKey = async ({ title, prompt }) => {
  const entered = await inputStep({ title }, { prompt, password: true });
  return typeof entered === 'string' ? entered : undefined;
};

/**
 * The VS Code side of embedding functions: remembers the user's choice for collections that store none (per
 * server and collection id), asks before a collection's configuration reads an unknown environment variable or
 * sends documents or a key to a host that is not the provider's (modal, remembered in globalState; documents go
 * without a question to the hosts in the user's chroma.embedding.trustedHosts), keeps entered
 * keys in SecretStorage bound to their host, and shows the default model's download with progress and Cancel.
 */
export class EmbeddingService {
  private readonly functions = new Map<string, EmbeddingFunction>();
  private readonly approvals: EmbeddingApprovals;
  private readonly savedKeys: SavedKeys;
  /** Problems with chroma.embedding.trustedHosts already logged, so each is said once. */
  private readonly warned = new Set<string>();
  /** For agent tools: the same remembered approvals and saved keys, but nothing is ever asked. */
  private readonly silentKeys: { approvals: EmbeddingApprovals; saved: SavedKeys };
  private readonly silentFunctions = new Map<string, EmbeddingFunction>();

  constructor(
    private readonly state: vscode.Memento,
    secrets: vscode.SecretStorage,
    private readonly log: Logger,
  ) {
    this.approvals = new EmbeddingApprovals(mementoStore(state), askModal, (origin) => this.trustedOrigins().has(origin));
    this.savedKeys = new SavedKeys(secrets, askKeyInput, defaultOrigin);
    this.silentKeys = {
      approvals: new EmbeddingApprovals(mementoStore(state), () => Promise.resolve(false), (origin) => this.trustedOrigins().has(origin)),
      saved: new SavedKeys(secrets, () => Promise.resolve(undefined), defaultOrigin),
    };
  }

  /** The hosts the user trusts with document text, read from their user settings at each request. */
  private trustedOrigins(): Set<string> {
    return trustedOrigins(inspectSetting('chroma.embedding.trustedHosts'), (message) => {
      if (!this.warned.has(message)) {
        this.warned.add(message);
        this.log.warn(message);
      }
    });
  }

  private choiceKey(conn: ConnectionConfig, collection: Collection): string {
    return `chroma.embeddingChoice/${new URL(conn.url).origin}/${collection.id}`;
  }

  /** Forgets every "Allow" given to sending documents or a key to a host, or reading a variable; the next use asks again. */
  async forgetApprovals(): Promise<ApprovalCounts> {
    const forgotten = await this.approvals.forgetAll();
    this.functions.clear();
    this.silentFunctions.clear();
    return forgotten;
  }

  /** How many approvals are remembered, by kind. */
  approvalCount(): ApprovalCounts {
    return this.approvals.count();
  }

  choiceFor(conn: ConnectionConfig, collection: Collection): StoredEmbeddingFunction | undefined {
    return this.state.get<StoredEmbeddingFunction>(this.choiceKey(conn, collection));
  }

  async remember(conn: ConnectionConfig, collection: Collection, choice: StoredEmbeddingFunction | undefined): Promise<void> {
    await this.state.update(this.choiceKey(conn, collection), choice);
    this.functions.clear();
    this.silentFunctions.clear();
  }

  /** Keys for one collection's function: its name is what the dialogs say is asking. */
  private keysFor(collection: Collection): KeySource {
    return {
      env: process.env,
      approvals: this.approvals,
      saved: this.savedKeys,
      requester: `Collection "${displayLine(collection.name, 80)}"`,
      warn: (message) => this.log.warn(`${message}`),
    };
  }

  /** The collection's embedding function; asks the user to choose one when the collection stores none. */
  async functionFor(conn: ConnectionConfig, collection: Collection): Promise<EmbeddingFunction | undefined> {
    let stored = storedFunction(collection) ?? this.choiceFor(conn, collection);
    if (!stored) {
      stored = await this.choose(conn, collection);
      if (!stored) {
        return undefined;
      }
    }
    // The default model is shared; a hosted function is per collection, since its dialogs name the collection.
    const key = JSON.stringify(isDefaultFunction(stored) ? [stored] : [stored, conn.url, collection.id, collection.name]);
    let fn = this.functions.get(key);
    if (!fn) {
      fn = createEmbeddingFunction(stored, { keys: this.keysFor(collection) });
      this.functions.set(key, fn);
    }
    if (fn.name === 'default' && !isModelCached(defaultCacheDir())) {
      await this.downloadDefaultModel();
    }
    return fn;
  }

  /**
   * The collection's function for an agent tool, WITHOUT prompting: the stored function or the remembered choice
   * (else EmbeddingError `needs-choice`), approvals and keys the person already gave (an approval not given is
   * refused: `not-allowed`; a key not saved nor in the environment: `missing-key`), and the cached model only
   * (else `model-download`).
   */
  silentFunctionFor(conn: ConnectionConfig, collection: Collection): EmbeddingFunction {
    const stored = storedFunction(collection) ?? this.choiceFor(conn, collection);
    if (!stored) {
      throw new EmbeddingError(`Collection "${displayLine(collection.name, 80)}" stores no embedding function and none was chosen for it.`, 'needs-choice');
    }
    if (isDefaultFunction(stored) && !isModelCached(defaultCacheDir())) {
      throw new EmbeddingError(`the model ${DEFAULT_MODEL.name} is not downloaded`, 'model-download');
    }
    const key = JSON.stringify(isDefaultFunction(stored) ? [stored] : [stored, conn.url, collection.id, collection.name]);
    let fn = this.silentFunctions.get(key);
    if (!fn) {
      const keys: KeySource = { ...this.keysFor(collection), ...this.silentKeys };
      fn = createEmbeddingFunction(stored, { keys });
      this.silentFunctions.set(key, fn);
    }
    return fn;
  }

  /** Downloads Chroma's default model with a cancellable progress notification (no-op when cached). */
  async downloadDefaultModel(): Promise<boolean> {
    if (isModelCached(defaultCacheDir())) {
      return true;
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading Chroma's default embedding model (${DEFAULT_MODEL.name})`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        await withSignal(token, (signal) => ensureModel(
          { url: DEFAULT_MODEL.url, sha256: DEFAULT_MODEL.sha256, dir: defaultCacheDir() },
          {
            signal,
            onProgress: ({ received, total }) => {
              if (total) {
                const pct = (received / total) * 100;
                progress.report({ increment: pct - reported, message: `${(received / 1048576).toFixed(1)} of ${(total / 1048576).toFixed(1)} MiB` });
                reported = pct;
              }
            },
          }),
        );
        this.log.info(`default model cached in ${defaultCacheDir()}`);
        return true;
      },
    );
  }

  /** Lets the user pick the function a collection without one was filled with; remembered per collection. */
  async choose(conn: ConnectionConfig, collection: Collection): Promise<StoredEmbeddingFunction | undefined> {
    const items = SUPPORTED_FUNCTIONS.map((name) => ({
      label: name,
      description: name === 'default' ? 'all-MiniLM-L6-v2, 384-d, runs locally (what Chroma uses by default)' : 'hosted',
    }));
    const pick = await pickStep(
      { title: `Embedding function for "${collection.name}"` },
      { items, placeholder: `"${collection.name}" stores no embedding function: which one were its records embedded with?` },
    );
    if (!pick || typeof pick !== 'object') {
      return undefined;
    }
    const config: Record<string, unknown> = {};
    const ask = async (key: string, prompt: string, value?: string): Promise<boolean> => {
      const v = await inputStep({ title: `${pick.label}: ${key}` }, { prompt, value });
      if (typeof v !== 'string') {
        return false;
      }
      if (v) {
        config[key] = v;
      }
      return true;
    };
    const needs: Record<string, Array<[string, string, string?]>> = {
      default: [],
      openai: [['model_name', 'Model', 'text-embedding-3-small'], ['api_key_env_var', 'Environment variable with the API key', 'OPENAI_API_KEY'], ['api_base', 'API base (empty: api.openai.com)', '']],
      ollama: [['url', 'Ollama URL', 'http://localhost:11434'], ['model_name', 'Model', 'nomic-embed-text']],
      cohere: [['model_name', 'Model', 'embed-english-v3.0'], ['api_key_env_var', 'Environment variable with the API key', 'COHERE_API_KEY']],
      voyageai: [['model_name', 'Model', 'voyage-3'], ['api_key_env_var', 'Environment variable with the API key', 'VOYAGE_API_KEY']],
      jina: [['model_name', 'Model', 'jina-embeddings-v3'], ['api_key_env_var', 'Environment variable with the API key', 'JINA_API_KEY']],
      huggingface_server: [['url', 'Embedding server URL', 'http://localhost:8080/embed']],
      google_genai: [['model_name', 'Model', 'text-embedding-004']],
    };
    for (const [key, prompt, value] of needs[pick.label] ?? []) {
      if (!(await ask(key, prompt, value))) {
        return undefined;
      }
    }
    const choice: StoredEmbeddingFunction = { type: 'known', name: pick.label, config };
    await this.remember(conn, collection, choice);
    this.log.info(`"${collection.name}" on ${conn.name}: using ${pick.label}`);
    return choice;
  }
}
