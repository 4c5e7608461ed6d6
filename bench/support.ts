/** Small helpers every benchmark uses. */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Heap in use, in MiB, after a collection when node runs with --expose-gc. */
export function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Throws when a benchmark's sanity condition fails, so that a wrong result never shows as a time. */
export function check(cond: boolean, what: string): void {
  if (!cond) {
    throw new Error(`benchmark sanity check failed: ${what}`);
  }
}

/** A time for a table column: `digits` decimals right-aligned in `width` characters, then " ms". */
export function ms(x: number, digits = 1, width = 8): string {
  return `${x.toFixed(digits).padStart(width)} ms`;
}

/** One query (number `i` of a round) sent one way; resolves to the hits it found. */
export type Way<Q> = (q: Q, i: number) => Promise<number>;

/**
 * Every query through every way, the ways taking turns per query (so that the server's drift hits each alike):
 * the ms each way took in all, and the hits it found.
 */
async function roundInTurns<Q>(
  ways: Record<string, Way<Q>>,
  qs: readonly Q[],
  turn: number,
): Promise<{ ms: Record<string, number>; hits: Record<string, number> }> {
  const names = Object.keys(ways);
  const total: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const hits: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const [i, q] of qs.entries()) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k + turn) % names.length];
      const t = performance.now();
      hits[name] += await ways[name](q, i);
      total[name] += performance.now() - t;
    }
  }
  return { ms: total, hits };
}

export interface TurnsOptions {
  /** How many of the queries the uncounted warm-up round sends. */
  warmUp: number;
  rounds: number;
  /** What one query is called in the per-round line ("query", "call"). */
  unit: string;
  /** Throws (through `check`) when a round's hits are wrong; `sent` is how many queries the round sent. */
  checkHits: (hits: Record<string, number>, sent: number) => void;
}

/**
 * An uncounted warm-up round, then `rounds` rounds of every query through every way in turns, printing a line per
 * round: each way's total ms per round.
 */
export async function roundsInTurns<Q>(ways: Record<string, Way<Q>>, queries: readonly Q[], o: TurnsOptions): Promise<Record<string, number[]>> {
  const names = Object.keys(ways);
  const once = async (qs: readonly Q[], turn: number): Promise<Record<string, number>> => {
    const { ms: total, hits } = await roundInTurns(ways, qs, turn);
    o.checkHits(hits, qs.length);
    return total;
  };
  await once(queries.slice(0, o.warmUp), 0);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < o.rounds; r++) {
    const t = await once(queries, r);
    for (const n of names) {
      times[n].push(t[n]);
    }
    console.log(`  round ${r + 1}: ${names.map((n) => `${n} ${t[n].toFixed(0)} ms (${(t[n] / queries.length).toFixed(2)}/${o.unit})`).join(', ')}`);
  }
  return times;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Runs `fn` under V8's CPU profiler (node:inspector, sampling every 50 µs) and returns the self time in ms of each
 * part, as `part` names a sample's innermost frame from its script URL and function name.
 */
export async function selfTimeByPart(
  fn: () => Promise<void>,
  part: (url: string, functionName: string) => string,
): Promise<Map<string, number>> {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 50 });
  await post('Profiler.start');
  let failed: unknown;
  await fn().catch((e: unknown) => (failed = e ?? new Error('failed')));
  const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  if (failed !== undefined) {
    throw failed;
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const name = frame ? part(frame.url, frame.functionName) : 'other';
    out.set(name, (out.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}
