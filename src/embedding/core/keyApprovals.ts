/**
 * The user's remembered answers to the two questions a collection's embedding configuration can raise: "may this
 * environment variable be read as the function's key?" and "may the key from it go to this host?". A yes is kept in
 * a store (VS Code's globalState in the editor); a no is not kept, so the next attempt asks again. No `vscode` here.
 */

export interface ApprovalStore {
  has(id: string): boolean;
  add(id: string): PromiseLike<void>;
}

/** A yes/no question for a modal dialog: a one-line message and a detail line. */
export interface Question {
  message: string;
  detail: string;
}

/** Shows the question; true only when the user explicitly allowed it. */
export type AskApproval = (question: Question) => PromiseLike<boolean>;

/** What the key policy needs from approvals (tests and the editor both use {@link KeyApprovals}). */
export interface Approvals {
  mayReadEnvVar(req: { fn: string; envVar: string; requester: string }): Promise<boolean>;
  maySendKey(req: { envVar: string; origin: string; requester: string }): Promise<boolean>;
}

export class KeyApprovals implements Approvals {
  /** One dialog per question even when several embeds ask at once (ingest batches). */
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly store: ApprovalStore,
    private readonly ask: AskApproval,
  ) {}

  /** Every approval's key starts with this. */
  static readonly PREFIX = 'chroma.embeddingApproval/';

  static envVarId(fn: string, envVar: string): string {
    return `chroma.embeddingApproval/env/${fn}/${envVar}`;
  }

  /** Keyed by the key's identity (the variable it comes from) and the exact origin. */
  static sendId(envVar: string, origin: string): string {
    return `chroma.embeddingApproval/send/env:${envVar}/${origin}`;
  }

  mayReadEnvVar(req: { fn: string; envVar: string; requester: string }): Promise<boolean> {
    return this.decide(KeyApprovals.envVarId(req.fn, req.envVar), {
      message: `${req.requester} asks to read the environment variable ${req.envVar} as its ${req.fn} key.`,
      detail: `Its embedding configuration comes from the Chroma server and names this variable. Nothing is read unless you allow it; the answer is remembered for ${req.fn} and ${req.envVar}.`,
    });
  }

  maySendKey(req: { envVar: string; origin: string; requester: string }): Promise<boolean> {
    return this.decide(KeyApprovals.sendId(req.envVar, req.origin), {
      message: `${req.requester} asks to send the key from ${req.envVar} to ${req.origin}.`,
      detail: `That host is not the provider's own; the collection's configuration, which comes from the Chroma server, names it. Nothing is sent unless you allow it; the answer is remembered for this key and host.`,
    });
  }

  private async decide(id: string, question: Question): Promise<boolean> {
    if (this.store.has(id)) {
      return true;
    }
    let answer = this.pending.get(id);
    if (!answer) {
      answer = (async () => {
        const yes = (await this.ask(question)) === true;
        if (yes) {
          await this.store.add(id);
        }
        return yes;
      })().finally(() => this.pending.delete(id));
      this.pending.set(id, answer);
    }
    return answer;
  }
}
