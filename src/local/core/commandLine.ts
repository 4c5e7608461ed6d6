/**
 * The `chroma.local.serverCommand` setting as words: split like a shell splits simple quoting, with no shell run.
 * Supported: blanks between words, '…' (literal), "…" (where \" and \\ are escapes on POSIX), a backslash escaping
 * the next character outside quotes on POSIX. On Windows a backslash is a path separator, never an escape.
 * `${workspaceFolder}` and a leading `~` are expanded. No variables, globs, pipes or redirections.
 */
import { homedir } from 'node:os';
import { LocalServerError } from './errors';

export interface SplitOptions {
  windows?: boolean;
  /** What `${workspaceFolder}` stands for; left as it is when not given. */
  workspaceFolder?: string;
  home?: string;
}

export function splitCommandLine(line: string, opts: SplitOptions = {}): string[] {
  const windows = opts.windows ?? process.platform === 'win32';
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") {
        quote = undefined;
      } else {
        word += c;
      }
    } else if (quote === '"') {
      if (c === '"') {
        quote = undefined;
      } else if (c === '\\' && !windows && (line[i + 1] === '"' || line[i + 1] === '\\')) {
        word += line[++i];
      } else {
        word += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && !windows && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) {
        words.push(word);
      }
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) {
    throw new LocalServerError(`The server command has an unclosed ${quote} quote: ${line}`, 'setting');
  }
  if (inWord) {
    words.push(word);
  }
  return words.map((w) => expand(w, opts));
}

function expand(word: string, opts: SplitOptions): string {
  let out = word;
  if (opts.workspaceFolder !== undefined) {
    out = out.split('${workspaceFolder}').join(opts.workspaceFolder);
  }
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = (opts.home ?? homedir()) + out.slice(1);
  }
  return out;
}
