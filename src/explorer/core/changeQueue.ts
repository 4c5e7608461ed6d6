/**
 * Tree-change events, coalesced and held back while VS Code is listing the node they name.
 *
 * VS Code's extension host clears a node's children when it is refreshed, disposing their commands, and registers
 * the children of a listing when it resolves. So a refresh of a node whose listing is in flight makes it list the
 * node twice and register its children twice ("Element with id … is already registered"), and a storm of
 * refreshes (one per arriving count) keeps re-creating items, so a click can name a command that was just disposed
 * ("Actual command not found"). Here changes arriving within `delayMs` become one event, a node is dropped when an
 * ancestor is refreshed in the same event, and a node being listed, or with a descendant being listed, is refreshed
 * only once that listing is done. An ancestor counts too: VS Code forgets the children of a refreshed node, but a
 * listing in flight under it still registers its items when it resolves, and the node's next listing registers them
 * again (a collection's records, expanded while its database was refreshed). No `vscode` here.
 */

export interface ChangeNode {
  id: string;
}

export class ChangeQueue<T extends ChangeNode> {
  private readonly queued = new Map<string, T>();
  private whole = false;
  /** Nodes being listed, by id, with how many listings of each are in flight. */
  private readonly listing = new Map<string, { node: T; n: number }>();
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
   * Marks `node` as being listed until the returned function is called; its refresh, and its ancestors', wait until
   * then. Nested listings of one node count.
   */
  beginListing(node: T): () => void {
    const entry = this.listing.get(node.id) ?? { node, n: 0 };
    entry.n++;
    this.listing.set(node.id, entry);
    let done = false;
    return () => {
      if (done) {
        return;
      }
      done = true;
      const entry = this.listing.get(node.id);
      if (entry && --entry.n <= 0) {
        this.listing.delete(node.id);
      }
      if (this.queued.size > 0) {
        this.schedule();
      }
    };
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
    const busy = this.busyIds();
    const due: T[] = [];
    for (const [id, node] of this.queued) {
      if (!busy.has(id)) {
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

  /** The ids of the nodes being listed and of all their ancestors: their refresh waits. */
  private busyIds(): Set<string> {
    const busy = new Set<string>();
    for (const { node } of this.listing.values()) {
      for (let p: T | undefined = node; p && !busy.has(p.id); p = this.parentOf(p)) {
        busy.add(p.id);
      }
    }
    return busy;
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
    const busy = this.busyIds();
    const dueNow = this.whole || [...this.queued.keys()].some((id) => !busy.has(id));
    if (dueNow) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.delayMs);
      this.timer.unref?.();
    }
  }
}
