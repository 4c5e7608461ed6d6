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
