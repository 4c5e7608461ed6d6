/** A place in a JSON value, for messages: `where.$and[1].year.$gt`. No `vscode` here. */
import { truncate } from './text';

export type JsonPath = readonly (string | number)[];

/** `where.$and[1].year.$gt`; keys that are not plain names are quoted: `where["my key"]`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
    } else if (/^[\p{L}_$#][\p{L}\p{N}_$#-]*$/u.test(part)) {
      out += out ? `.${part}` : part;
    } else {
      out += `[${JSON.stringify(truncate(part, 40))}]`;
    }
  }
  return out;
}
