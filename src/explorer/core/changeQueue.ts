/**
 * Tree-change events, coalesced and held back while VS Code is listing the node they name.
 *
 * VS Code's extension host clears a node's children when it is refreshed, disposing their commands, and registers
 * the children of a listing when it resolves. So a refresh of a node whose listing is in flight makes it list the
 * node twice and register its children twice ("Element with id … is already registered"), and a storm of
 * refreshes (one per arriving count) keeps re-creating items, so a click can name a command that was just disposed
 * ("Actual command not found"). Here changes arriving within `delayMs` become one event, a node is dropped when an
 * ancestor is refreshed in the same event, and a node being listed is refreshed only once its listing is done.
 * No `vscode` here.
 */

export interface ChangeNode {
  id: string;
}

export class ChangeQueue<T extends ChangeNode> {
  private readonly queued = new Map<string, T>();
  private whole = false;
  private readonly listing = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Events fired so far (for tests and benchmarks). */
  fired = 0;
  private lastFired = Number.NEGATIVE_INFINITY;
  private holds = 0;

  constructor(
    private readonly fire: (nodes: T[] | undefined) => void,
    private readonly parentOf: (node: T) => T | undefined,
    private readonly delayMs = 100,
  ) {}

  /** Asks for `node` (or, with undefined, the whole tree) to be refreshed soon. */
  add(node: T | undefined): void {
    if (node) {
      this.queued.set(node.id, node);
    } else {
      this.whole = true;
    }
    this.schedule();
  }

  /**
   * Marks `node` as being listed until the returned function is called; its refresh waits until then. Nested
   * listings of one node count.
   */
  beginListing(node: ChangeNode): () => void {
    this.listing.set(node.id, (this.listing.get(node.id) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) {
        return;
      }
      done = true;
      const n = (this.listing.get(node.id) ?? 1) - 1;
      if (n > 0) {
        this.listing.set(node.id, n);
      } else {
        this.listing.delete(node.id);
      }
      if (this.queued.has(node.id)) {
        this.schedule();
      }
    };
  }

  isListing(id: string): boolean {
    return this.listing.has(id);
  }

  /** Fires what is due now, keeping back nodes still being listed. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.holds > 0) {
      return; // fired when the last hold is released
    }
    if (this.whole) {
      // A whole-tree refresh cancels every listing in flight on VS Code's side, so it need not wait.
      this.whole = false;
      this.queued.clear();
      this.fired++;
      this.lastFired = Date.now();
      this.fire(undefined);
      return;
    }
    const due: T[] = [];
    for (const [id, node] of this.queued) {
      if (!this.listing.has(id)) {
        due.push(node);
        this.queued.delete(id);
      }
    }
    const ids = new Set(due.map((n) => n.id));
    const top = due.filter((n) => !this.hasAncestorIn(n, ids));
    if (top.length) {
      this.fired++;
      this.lastFired = Date.now();
      this.fire(top);
    }
  }

  /**
   * Holds every event back until the returned function is called (holds nest): VS Code's reveal does not finish
   * while tree events keep coming (a stream of arriving counts), so a reveal runs under a hold.
   */
  hold(): () => void {
    this.holds++;
    let done = false;
    return () => {
      if (done) {
        return;
      }
      done = true;
      this.holds--;
      if (this.holds === 0 && (this.whole || this.queued.size > 0)) {
        this.schedule();
      }
    };
  }

  /**
   * Resolves once `settleMs` have passed since the last event fired (VS Code applies an event some time after it
   * is fired; a reveal meanwhile can miss a node being re-created). At once when none was fired lately.
   */
  async whenSettled(settleMs: number, now: () => number = Date.now): Promise<void> {
    const wait = settleMs - (now() - this.lastFired);
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.queued.clear();
  }

  private hasAncestorIn(node: T, ids: Set<string>): boolean {
    for (let p = this.parentOf(node); p; p = this.parentOf(p)) {
      if (ids.has(p.id)) {
        return true;
      }
    }
    return false;
  }

  private schedule(): void {
    if (this.timer) {
      return;
    }
    const dueNow = this.whole || [...this.queued.keys()].some((id) => !this.listing.has(id));
    if (dueNow) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.delayMs);
      this.timer.unref?.();
    }
  }
}
