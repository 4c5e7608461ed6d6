/**
 * Runs a whole evaluation set: its target, and its compare target when it names one (one after the other, on the
 * same cases), and compares the two. What the Test Explorer's run profile and Write Evaluation Reports call.
 * No `vscode` here.
 */
import { compareRuns } from './compare';
import type { Comparison } from './compare';
import { runTarget } from './runner';
import type { RunDeps } from './runner';
import type { CaseResult, EvalSet, EvalTarget, TargetRun } from './types';

export interface SetRun {
  /** The set's name, when it has one. */
  name?: string;
  /** The first target's run, then the compare target's. */
  runs: TargetRun[];
  comparison?: Comparison;
  /** When it started (epoch ms) and how long it took. */
  startedAt: number;
  durationMs: number;
}

export interface SetRunDeps {
  /** A client and the embedding-function lookup for a target's connection (the VS Code layer resolves them). */
  connect: (target: EvalTarget) => Promise<Pick<RunDeps, 'client' | 'embedderFor'>>;
  /** Only these cases (a Test Explorer run of some items); all by default. */
  caseIds?: ReadonlySet<string>;
  signal?: AbortSignal;
  onStart?: (target: EvalTarget, caseIds: string[]) => void;
  onResult?: (target: EvalTarget, result: CaseResult, done: number, total: number) => void;
  batchSize?: number;
  now?: () => number;
}

/**
 * Runs the set. A target whose connection cannot be made (`connect` rejects) fails the whole run with that error;
 * a collection that cannot be opened makes each of its cases an error result instead (see runTarget).
 */
export async function runSet(set: EvalSet, deps: SetRunDeps): Promise<SetRun> {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const cases = deps.caseIds ? set.cases.filter((c) => deps.caseIds?.has(c.id)) : set.cases;
  const runs: TargetRun[] = [];
  for (const target of set.compare ? [set.target, set.compare] : [set.target]) {
    const { client, embedderFor } = await deps.connect(target);
    runs.push(
      await runTarget(target, cases, set.minRecall, {
        client,
        embedderFor,
        signal: deps.signal,
        batchSize: deps.batchSize,
        now,
        onStart: deps.onStart && ((ids) => deps.onStart?.(target, ids)),
        onResult: deps.onResult && ((r, done, total) => deps.onResult?.(target, r, done, total)),
      }),
    );
  }
  const out: SetRun = { runs, startedAt, durationMs: 0 };
  if (set.name !== undefined) {
    out.name = set.name;
  }
  if (runs.length === 2) {
    out.comparison = compareRuns(runs[0], runs[1]);
  }
  out.durationMs = now() - startedAt;
  return out;
}
