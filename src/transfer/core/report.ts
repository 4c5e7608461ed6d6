/** Durations in reports as a person reads them (sizes: util/size). No `vscode` here. */

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 60) {
    return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  }
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
