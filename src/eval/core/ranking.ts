/**
 * The tie rule: what rank a hit has when the server returned others at exactly the same distance. No `vscode` here.
 *
 * Chroma lists hits of equal distance in no defined order (an exact duplicate chunk in two files, or two records with
 * one vector, come back either way round), so "the order as returned" would let a case pass on one run and fail on
 * the next with nothing changed. The rule here: within a group of hits at an equal distance (as the server sent it),
 * the hits that satisfy no expected item come first, then those that do, each part in the order returned. So
 *
 * - the ranks, and every metric, are the same whatever order the server lists a tie in (the "changed since the last
 *   run" list shows real changes only);
 * - a tie is never a win: an expected item tied with a wrong one ranks after it, as it would if the server had
 *   listed the wrong one first. A degenerate embedding that puts every record at one distance scores as badly as
 *   it should, where "the best rank of the tie group" would have scored it perfectly.
 *
 * A hit without a distance is a group of its own.
 */

export interface Judged {
  distance: number | null;
  /** Indices of the expected items this hit satisfies (empty: not relevant). */
  satisfies: readonly number[];
}

/** The indices of `hits` (in the server's order) in judging order (see above). */
export function tieOrder(hits: readonly Judged[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < hits.length; ) {
    let j = i + 1;
    const d = hits[i].distance;
    while (d !== null && j < hits.length && hits[j].distance === d) {
      j++;
    }
    if (j - i === 1) {
      out.push(i);
    } else {
      for (let x = i; x < j; x++) {
        if (hits[x].satisfies.length === 0) {
          out.push(x);
        }
      }
      for (let x = i; x < j; x++) {
        if (hits[x].satisfies.length > 0) {
          out.push(x);
        }
      }
    }
    i = j;
  }
  return out;
}
