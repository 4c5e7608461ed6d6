/**
 * A request body as JSON in which every number of a `$in` / `$nin` list that Chroma would not read as whole numbers
 * only (it holds a decimal, or a whole number outside the 64-bit integers) is written as a decimal: `[2.0, 0.5]`.
 * Chroma types such a list by its numbers as written: 0.x (Python) refuses a list mixing `2` and `0.5` ("all values
 * to be of the same type"), 1.x one whose first number is whole. Written as decimals, every server takes it, and it
 * finds the same records: all of them compare whole and decimal metadata numerically (measured on 1.0.0 and the
 * newest server; 0.x compares its int and float columns alike). `JSON.stringify` cannot write `2.0`, so those
 * numbers are written through a marker. No `vscode` here.
 */
import { randomUUID } from 'node:crypto';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const INT64 = 2 ** 63;

/** A number Chroma reads as a 64-bit integer as JSON.stringify writes it (-2^63 comes out as -9223372036854776000). */
const isInt64 = (n: number): boolean => Number.isInteger(n) && n > -INT64 && n < INT64;

/** Whether a list is numbers only, some of which Chroma would read as decimals, and some written as whole numbers. */
function mixesWholeAndDecimal(list: readonly unknown[]): boolean {
  let decimal = false;
  let whole = false;
  for (const v of list) {
    if (typeof v !== 'number') {
      return false;
    }
    decimal ||= !isInt64(v);
    whole ||= Number.isInteger(v) && /^-?\d+$/.test(String(v));
  }
  return decimal && whole;
}

/** Whether a where clause has such a list, at any depth of `$and` / `$or` (bounded: filters deeper are refused anyway). */
export function hasMixedNumberList(where: unknown, depth = 0): boolean {
  if (!isObject(where) || depth > 200) {
    return false;
  }
  for (const [key, value] of Object.entries(where)) {
    if ((key === '$in' || key === '$nin') && Array.isArray(value) && mixesWholeAndDecimal(value)) {
      return true;
    }
    if (Array.isArray(value) ? value.some((v) => hasMixedNumberList(v, depth + 1)) : hasMixedNumberList(value, depth + 1)) {
      return true;
    }
  }
  return false;
}

/** The body as JSON, such lists' whole numbers written as decimals (`2.0`; `1e+21` stays as it is, already one). */
export function jsonWithDecimalLists(body: unknown): string {
  const marker = `\u2063dec-${randomUUID()}:`;
  const text = JSON.stringify(body, (key: string, value: unknown) =>
    (key === '$in' || key === '$nin') && Array.isArray(value) && mixesWholeAndDecimal(value)
      ? value.map((n: number) => (Number.isInteger(n) ? `${marker}${String(n)}` : n))
      : value,
  );
  const quoted = JSON.stringify(marker).slice(0, -1);
  return text.split(quoted).map((part, i) => (i === 0 ? part : decimalAt(part))).join('');
}

/** `2"…` (the marker's number and closing quote, then the rest) as `2.0…`. */
function decimalAt(part: string): string {
  const end = part.indexOf('"');
  const n = part.slice(0, end);
  return `${/^-?\d+$/.test(n) ? `${n}.0` : n}${part.slice(end + 1)}`;
}
