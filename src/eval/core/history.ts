/**
 * The metrics of a set over past runs, as the VS Code layer keeps them per workspace (a plain JSON list in its
 * workspace state), and the small chart of them in the report: a sparkline of Unicode blocks. No `vscode` here.
 */
import type { SetRun } from './evaluate';
import type { MetricValues } from './types';
import { METRIC_NAMES } from './types';

export interface HistoryEntry {
  /** When the run started (epoch ms). */
  ranAt: number;
  /** Per target name, its averages (null when no case ran). */
  targets: Record<string, MetricValues | null>;
}

/** Runs kept per set. */
export const MAX_HISTORY = 50;

const BLOCKS = '▁▂▃▄▅▆▇█';

/** The entry a run adds: only runs of every case belong in the history (a run of a few items is not comparable). */
export function historyEntry(run: SetRun): HistoryEntry {
  return { ranAt: run.startedAt, targets: Object.fromEntries(run.runs.map((r) => [r.target.name, r.metrics.values])) };
}

/** `history` with `entry` added, oldest first, at most `max` long. */
export function appendHistory(history: readonly HistoryEntry[], entry: HistoryEntry, max = MAX_HISTORY): HistoryEntry[] {
  return [...history, entry].sort((a, b) => a.ranAt - b.ranAt).slice(-max);
}

const isMetrics = (v: unknown): v is MetricValues =>
  typeof v === 'object' && v !== null && METRIC_NAMES.every((m) => typeof (v as Record<string, unknown>)[m] === 'number' && Number.isFinite((v as Record<string, number>)[m]));

/** A stored history read back: entries of the wrong shape are dropped (state written by another version). */
export function readHistory(value: unknown): HistoryEntry[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((e): HistoryEntry[] => {
    if (typeof e !== 'object' || e === null || typeof (e as HistoryEntry).ranAt !== 'number') {
      return [];
    }
    const targets = (e as HistoryEntry).targets;
    if (typeof targets !== 'object' || targets === null || Array.isArray(targets)) {
      return [];
    }
    const clean: Record<string, MetricValues | null> = {};
    for (const [name, v] of Object.entries(targets)) {
      if (v === null || isMetrics(v)) {
        clean[name] = v && (Object.fromEntries(METRIC_NAMES.map((m) => [m, v[m]])) as unknown as MetricValues);
      }
    }
    return [{ ranAt: (e as HistoryEntry).ranAt, targets: clean }];
  });
}

/**
 * Values in [0, 1] as blocks, one per value: 0 is ▁ and 1 is █ (a fixed scale, so a chart of recall means the same
 * in every report); a run without a value is a space.
 */
export function sparkline(values: ReadonlyArray<number | null | undefined>): string {
  return values
    .map((v) => {
      if (v === null || v === undefined || !Number.isFinite(v)) {
        return ' ';
      }
      const clamped = Math.min(1, Math.max(0, v));
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.floor(clamped * BLOCKS.length))];
    })
    .join('');
}

/** One metric of one target over the history, oldest first. */
export function series(history: readonly HistoryEntry[], target: string, metric: keyof MetricValues): Array<number | null> {
  return history.map((e) => e.targets[target]?.[metric] ?? null);
}
