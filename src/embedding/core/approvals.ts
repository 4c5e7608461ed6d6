/**
 * The user's remembered answers to the questions a collection's embedding configuration can raise: "may this
 * environment variable be read as the function's key?", "may the documents go to this host to be embedded?" and
 * "may the key from this variable go to this host?". A yes is kept in a store (VS Code's globalState in the editor,
 * which no server writes); a no is not kept, so the next attempt asks again. No `vscode` here.
 */

export interface ApprovalStore {
  has(id: string): boolean;
  add(id: string): PromiseLike<void>;
  /** Every id kept (the store may hold other things too: only ids under {@link EmbeddingApprovals.PREFIX} count). */
  ids(): readonly string[];
  remove(id: string): PromiseLike<void>;
}

/** A yes/no question for a modal dialog: a one-line message and a detail line. */
export interface Question {
  message: string;
  detail: string;
}

/** Shows the question; true only when the user explicitly allowed it. */
export type AskApproval = (question: Question) => PromiseLike<boolean>;

/** One request about to go to a host that is not the provider's documented one. */
export interface SendQuestion {
  fn: string;
  /** Where the request goes. */
  origin: string;
  /** The configuration field that named it (api_base, api_url, url), for the dialog. */
  field: string;
  /** The variable the request's key comes from, when it carries one from the environment. */
  envVar?: string;
  /** Who asks: `Collection "notes"`. */
  requester: string;
}

/** What the send gate needs from approvals (tests and the editor both use {@link EmbeddingApprovals}). */
export interface Approvals {
  mayReadEnvVar(req: { fn: string; envVar: string; requester: string }): Promise<boolean>;
  /** May the documents (and the key from `envVar`, if given) go to `origin`? One dialog for whatever is not yet allowed. */
  maySend(req: SendQuestion): Promise<boolean>;
}

/** How many answers of each kind are remembered (or were forgotten). */
export interface ApprovalCounts {
  /** (function, host) pairs allowed to receive documents. */
  hosts: number;
  /** (variable, host) pairs a key may go to. */
  keys: number;
  /** (function, variable) pairs that may be read as a key. */
  variables: number;
}

const PREFIX = 'chroma.embeddingApproval/';

export class EmbeddingApprovals implements Approvals {
  /** One dialog per question even when several embeds ask at once (ingest batches). */
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly store: ApprovalStore,
    private readonly ask: AskApproval,
    /**
     * Origins the user trusts with document text in their own settings (`chroma.embedding.trustedHosts`, see
     * trustedHosts.ts): the text goes there without a question. Keys are not covered: they still ask.
     */
    private readonly trusted: (origin: string) => boolean = () => false,
  ) {}

  /** Every approval's id starts with this. */
  static readonly PREFIX = PREFIX;

  static envVarId(fn: string, envVar: string): string {
    return `${PREFIX}env/${fn}/${envVar}`;
  }

  /** Documents may go to this exact origin for this function. */
  static textId(fn: string, origin: string): string {
    return `${PREFIX}text/${fn}/${origin}`;
  }

  /** Keyed by the key's identity (the variable it comes from) and the exact origin. */
  static sendId(envVar: string, origin: string): string {
    return `${PREFIX}send/env:${envVar}/${origin}`;
  }

  mayReadEnvVar(req: { fn: string; envVar: string; requester: string }): Promise<boolean> {
    return this.decide([EmbeddingApprovals.envVarId(req.fn, req.envVar)], {
      message: `${req.requester} asks to read the environment variable ${req.envVar} as its ${req.fn} key.`,
      detail: `Its embedding configuration comes from the Chroma server and names this variable. Nothing is read unless you allow it; the answer is remembered for ${req.fn} and ${req.envVar}.`,
    });
  }

  /**
   * Asks only what is not yet allowed, in one dialog: the documents and the key together when neither is, the key
   * alone when the documents already may go there. A host allowed once is not asked about again for that function;
   * a host the user trusts in their settings is not asked about for the documents.
   */
  maySend(req: SendQuestion): Promise<boolean> {
    const text = EmbeddingApprovals.textId(req.fn, req.origin);
    const key = req.envVar === undefined ? undefined : EmbeddingApprovals.sendId(req.envVar, req.origin);
    const askText = !this.store.has(text) && !this.trusted(req.origin);
    const askKey = key !== undefined && !this.store.has(key);
    if (!askText && !askKey) {
      return Promise.resolve(true);
    }
    const source = `the ${req.field} of the collection's ${req.fn} embedding function, whose configuration comes from the Chroma server`;
    if (!askText) {
      return this.decide([key!], {
        message: `${req.requester} asks to send the key from ${req.envVar} to ${req.origin}.`,
        detail: `A key from the environment goes only to its provider's host or to one you allowed for it. This host is ${source}. Nothing is sent unless you allow it; the answer is remembered for this key and host.`,
      });
    }
    return this.decide(askKey ? [text, key!] : [text], {
      message: `${req.requester} asks to send your documents to ${req.origin} to be embedded${askKey ? `, with the key from ${req.envVar}` : ''}.`,
      detail:
        `That host would receive the text of the documents you add and the queries you run. It is ${source}. ` +
        `Nothing is sent unless you allow it; the answer is remembered for ${req.fn} and this host${askKey ? `, and for ${req.envVar}'s key and this host` : ''}.`,
    });
  }

  /** How many answers are remembered, by kind. */
  count(): ApprovalCounts {
    const out: ApprovalCounts = { hosts: 0, keys: 0, variables: 0 };
    for (const id of this.ids()) {
      const kind = id.slice(PREFIX.length).split('/', 1)[0];
      if (kind === 'text') {
        out.hosts++;
      } else if (kind === 'send') {
        out.keys++;
      } else {
        out.variables++;
      }
    }
    return out;
  }

  /** Forgets every remembered answer: the next request asks again. */
  async forgetAll(): Promise<ApprovalCounts> {
    const counted = this.count();
    for (const id of this.ids()) {
      await this.store.remove(id);
    }
    return counted;
  }

  private ids(): string[] {
    return this.store.ids().filter((id) => id.startsWith(PREFIX));
  }

  private async decide(ids: readonly string[], question: Question): Promise<boolean> {
    if (ids.every((id) => this.store.has(id))) {
      return true;
    }
    const pendingId = ids.join('\n');
    let answer = this.pending.get(pendingId);
    if (!answer) {
      answer = (async () => {
        const yes = (await this.ask(question)) === true;
        if (yes) {
          for (const id of ids) {
            await this.store.add(id);
          }
        }
        return yes;
      })().finally(() => this.pending.delete(pendingId));
      this.pending.set(pendingId, answer);
    }
    return answer;
  }
}

/** "2 hosts allowed to receive your documents, 1 key allowed to go to another host" (kinds with none left out). */
export function describeApprovals(c: ApprovalCounts): string {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return [
    c.hosts ? `${n(c.hosts, 'host', 'hosts')} allowed to receive your documents` : '',
    c.keys ? `${n(c.keys, 'key', 'keys')} allowed to go to another host` : '',
    c.variables ? `${n(c.variables, 'variable', 'variables')} allowed to be read as a key` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

export function approvalTotal(c: ApprovalCounts): number {
  return c.hosts + c.keys + c.variables;
}
