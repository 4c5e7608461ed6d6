/**
 * A parsed JSON value made cheap to post between threads: every long array of numbers (embeddings, mostly) becomes
 * a Float64Array view into one buffer, which is transferred instead of cloned, and is turned back into a plain array
 * on the other side (in slices, so the receiving thread stays responsive). Doubles are kept exactly (JSON numbers are doubles). Both walks are iterative, so nesting as
 * deep as JSON.parse accepts cannot overflow the stack. No `vscode` here.
 */

/** Arrays of numbers at least this long are packed; shorter ones cost less to clone than to pack. */
export const MIN_PACKED_RUN = 16;

export interface Packed {
  tree: unknown;
  /** The buffer every packed view points into; transfer it with the tree. */
  buffer?: ArrayBuffer;
}

type Container = Record<string, unknown> | unknown[];

/** Sets a slot without ever going through a setter (a key "__proto__" from JSON is an own property). */
function put(container: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (container as Record<string | number, unknown>)[key] = value;
  }
}

/** Calls `visit` on each slot of each container under `root` (not on `root` itself), depth first, without recursion. */
function eachSlot(root: unknown, visit: (container: Container, key: string | number, value: unknown) => boolean): void {
  if (typeof root !== 'object' || root === null) {
    return;
  }
  const stack: Container[] = [root as Container];
  // visit says whether to descend into the slot's value
  const step = (c: Container, key: string | number, value: unknown) => {
    if (visit(c, key, value) && typeof value === 'object' && value !== null) {
      stack.push(value as Container);
    }
  };
  for (let c = stack.pop(); c !== undefined; c = stack.pop()) {
    if (Array.isArray(c)) {
      for (let i = 0; i < c.length; i++) {
        step(c, i, c[i]);
      }
    } else {
      for (const key of Object.keys(c)) {
        step(c, key, c[key]);
      }
    }
  }
}

function isNumberRun(value: unknown): value is number[] {
  if (!Array.isArray(value) || value.length < MIN_PACKED_RUN) {
    return false;
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'number') {
      return false;
    }
  }
  return true;
}

/** Packs `value` in place (it is changed: give it a value nothing else holds, fresh from JSON.parse). */
export function packNumbers(value: unknown): Packed {
  if (isNumberRun(value)) {
    const view = Float64Array.from(value);
    return { tree: view, buffer: view.buffer };
  }
  const runs: Array<{ container: Container; key: string | number; run: number[] }> = [];
  let total = 0;
  eachSlot(value, (container, key, v) => {
    if (isNumberRun(v)) {
      runs.push({ container, key, run: v });
      total += v.length;
      return false;
    }
    return true;
  });
  if (runs.length === 0) {
    return { tree: value };
  }
  const buffer = new ArrayBuffer(total * 8);
  let offset = 0;
  for (const { container, key, run } of runs) {
    const view = new Float64Array(buffer, offset * 8, run.length);
    view.set(run);
    put(container, key, view);
    offset += run.length;
  }
  return { tree: value, buffer };
}

/** A plain array of the view's numbers (a preallocated loop: ~10× faster than Array.from here). */
function toArray(view: Float64Array): number[] {
  const out = new Array<number>(view.length);
  for (let i = 0; i < view.length; i++) {
    out[i] = view[i];
  }
  return out;
}

/** How long one slice of unpacking may hold the thread before it lets others run. */
export const UNPACK_SLICE_MS = 8;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Undoes packNumbers in place: every Float64Array becomes a plain array of the same numbers. Copying millions of
 * numbers takes tens of milliseconds, so it goes in slices of about `sliceMs`, letting the event loop run between.
 */
export async function unpackNumbers(tree: unknown, sliceMs = UNPACK_SLICE_MS): Promise<unknown> {
  if (tree instanceof Float64Array) {
    return toArray(tree);
  }
  const slots: Array<{ container: Container; key: string | number; view: Float64Array }> = [];
  eachSlot(tree, (container, key, v) => {
    if (v instanceof Float64Array) {
      slots.push({ container, key, view: v });
      return false;
    }
    return true;
  });
  let sliceStart = performance.now();
  for (let i = 0; i < slots.length; i++) {
    const { container, key, view } = slots[i];
    put(container, key, toArray(view));
    if ((i & 63) === 63 && performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return tree;
}
