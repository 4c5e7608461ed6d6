/** List-valued metadata (Chroma 1.5 and later): the rules a list must meet, as the newest server applies them. No `vscode` here. */

/** What an element of a list value is, for "one type per list" (whole and decimal numbers are both numbers). */
function elementKind(v: unknown): 'a string' | 'a number' | 'a boolean' | string {
  if (typeof v === 'string' || typeof v === 'boolean') {
    return `a ${typeof v}`;
  }
  if (typeof v === 'number') {
    return 'a number';
  }
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * Why a list value is refused by Chroma 1.5's rules (measured on the newest server), or undefined: strings, numbers
 * (whole and decimal may mix: they are stored as decimals) or booleans, one of those per list; no null, no nested
 * list, no object. An empty list is taken but never stored (an add drops the key, an update removes it), so it is
 * refused here rather than lost silently.
 */
export function listValueProblem(value: readonly unknown[]): string | undefined {
  if (value.length === 0) {
    return 'is an empty list, which Chroma does not store (an add drops the key, an update removes it): give at least one value, or leave the key out';
  }
  const first = elementKind(value[0]);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const kind = elementKind(v);
    if (kind !== 'a string' && kind !== 'a number' && kind !== 'a boolean') {
      return kind === 'a list'
        ? `holds a list at [${i}]: lists cannot be nested`
        : `holds ${kind} at [${i}]: list items must be strings, numbers or booleans`;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      return `holds ${v} at [${i}]: numbers must be finite`;
    }
    if (kind !== first) {
      return `mixes ${first.slice(first.indexOf(' ') + 1)}s and ${kind.slice(kind.indexOf(' ') + 1)}s (${kind} at [${i}]): a list holds one type, all strings, all numbers or all booleans`;
    }
  }
  return undefined;
}

/** Whether any record's metadata has a list value (only then does the server's support for them matter). */
export function hasListValues(metadatas: readonly (Record<string, unknown> | null | undefined)[] | undefined): boolean {
  return !!metadatas?.some((m) => m && typeof m === 'object' && Object.values(m).some(Array.isArray));
}
