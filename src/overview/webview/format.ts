/** How the overview page writes numbers: counts with thousands separators, shares, a histogram's axis. Pure. */
export { formatCount } from '../../util/text';

/** `part` of `whole` in percent, to one decimal (`0%` of nothing). */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : '0%';
}

/** A value on a histogram's axis: four significant digits, or exponent form when very large or very small. */
export function axisNumber(x: number): string {
  return Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/** `word` for one, else its plural (`words` unless given). */
export function plural(n: number, word: string, words = `${word}s`): string {
  return n === 1 ? word : words;
}
