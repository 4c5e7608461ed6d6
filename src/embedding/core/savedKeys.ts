/**
 * API keys the user entered, bound to the origin they were entered for: a key typed for api.openai.com is never
 * offered to another host a collection's configuration names. Keys saved before that binding existed (per function
 * and variable only) are used for the provider's own host alone, and moved to its slot. No `vscode` here.
 */

/** SecretStorage's shape. */
export interface SecretStore {
  get(slot: string): PromiseLike<string | undefined>;
  store(slot: string, value: string): PromiseLike<void>;
  delete(slot: string): PromiseLike<void>;
}

export interface KeyRequest {
  fn: string;
  /** Where the key will be sent. */
  origin: string;
  /** The variable the key would have come from (names the slot, so two accounts can differ). */
  envVar: string;
  requester: string;
  /** The server may need no key: an empty answer then means "send without one". */
  optional?: boolean;
}

/** Asks the user for a key; `prompt` names the host it goes to. '' when they entered none, undefined when they cancelled. */
export type AskForKey = (req: KeyRequest & { title: string; prompt: string }) => PromiseLike<string | undefined>;

export interface SavedKeySource {
  /** The saved key, or the one the user enters now; '' when they entered none, undefined when they cancelled. */
  getOrAsk(req: KeyRequest): Promise<string | undefined>;
}

export function savedKeySlot(fn: string, origin: string, envVar: string): string {
  return `chroma.embeddingKey/${fn}/${origin}/${envVar}`;
}

/** Where keys were kept before they were bound to an origin. */
export function legacyKeySlot(fn: string, envVar: string): string {
  return `chroma.embeddingKey/${fn}/${envVar}`;
}

export class SavedKeys implements SavedKeySource {
  constructor(
    private readonly secrets: SecretStore,
    private readonly ask: AskForKey,
    /** The provider's own origin per function: the only place a legacy key may go. */
    private readonly defaultOrigin: (fn: string) => string | undefined,
  ) {}

  async get(req: KeyRequest): Promise<string | undefined> {
    const slot = savedKeySlot(req.fn, req.origin, req.envVar);
    const saved = await this.secrets.get(slot);
    if (saved) {
      return saved;
    }
    const legacySlot = legacyKeySlot(req.fn, req.envVar);
    const legacy = await this.secrets.get(legacySlot);
    if (!legacy) {
      return undefined;
    }
    const home = this.defaultOrigin(req.fn);
    if (req.origin === home) {
      await this.secrets.store(slot, legacy);
      await this.secrets.delete(legacySlot);
      return legacy;
    }
    if (!home) {
      // No host it could safely be bound to.
      await this.secrets.delete(legacySlot);
    }
    return undefined;
  }

  async getOrAsk(req: KeyRequest): Promise<string | undefined> {
    const saved = await this.get(req);
    if (saved) {
      return saved;
    }
    const entered = await this.ask({
      ...req,
      title: `API key for the ${req.fn} embedding function, sent to ${req.origin}`,
      prompt:
        `${req.requester} sends this key to ${req.origin}. ${req.envVar} is not set in VS Code's environment: enter the key to keep in VS Code's secret storage for that host only` +
        (req.optional ? ', or leave it empty if that server needs no key.' : '.'),
    });
    if (!entered) {
      return entered;
    }
    await this.secrets.store(savedKeySlot(req.fn, req.origin, req.envVar), entered);
    return entered;
  }
}
