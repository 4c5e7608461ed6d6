/**
 * Does a local server answer? Its API v2 heartbeat, with our own client. Any HTTP answer counts, not only a good
 * heartbeat: a Chroma older than 0.6 (a Python environment's 0.5.x) has only API v1 and answers 404 to v2, yet it is up;
 * the connection then says which version it is. Only no answer at all (refused, reset, timeout) means not up.
 */
import { ChromaClient, ChromaError } from '../../chroma';

export async function answersHeartbeat(url: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
  try {
    await new ChromaClient({ url, retries: 0 }).heartbeat({ timeoutMs: opts.timeoutMs ?? 2000, retries: 0, signal: opts.signal });
    return true;
  } catch (e) {
    return e instanceof ChromaError && e.status !== undefined;
  }
}
