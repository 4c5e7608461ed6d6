/**
 * A server's output: the last lines kept in a ring (for error messages and "stopped unexpectedly"), and the
 * failures read from them, said in words a person can act on.
 */
import type { LocalErrorKind } from './errors';

/** Splits chunks into lines (a partial line waits for its end) and keeps the last `size`. */
export class LineRing {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly size = 200) {}

  /** Adds a chunk; returns the complete lines it ended. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > 8192) {
      parts.push(this.partial);
      this.partial = '';
    }
    const done = parts.map(clean);
    for (const line of done) {
      this.lines.push(line);
    }
    if (this.lines.length > this.size) {
      this.lines.splice(0, this.lines.length - this.size);
    }
    return done;
  }

  /** Ends the partial line (at exit); returns it when there was one. */
  flush(): string[] {
    if (!this.partial) {
      return [];
    }
    const last = clean(this.partial);
    this.partial = '';
    this.lines.push(last);
    return [last];
  }

  /** The last `n` lines (all by default), oldest first. */
  last(n = this.size): string[] {
    return this.lines.slice(-n);
  }

  /** The last line with text in it. */
  lastLine(): string | undefined {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      if (this.lines[i].trim()) {
        return this.lines[i].trim();
      }
    }
    return undefined;
  }
}

/** Drops terminal colour codes (Chroma prints its logo in colour). */
function clean(line: string): string {
   
  return line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

export interface Diagnosis {
  kind: LocalErrorKind;
  /** Lower-case clause for "Chroma did not start on ./chroma: <reason>." */
  reason: string;
}

/** What went wrong, read from the output; undefined when the lines do not say. */
export function diagnose(lines: readonly string[]): Diagnosis | undefined {
  const text = lines.join('\n');
  const glibc = /version `(GLIBC_[\d.]+)' not found/.exec(text);
  if (glibc) {
    return { kind: 'binding', reason: `the Chroma binding could not load: this system's glibc is older than it needs (${glibc[1]} not found)` };
  }
  const missing = /Cannot find (?:module|package) '(chromadb-js-bindings-[^']+)'/.exec(text);
  if (missing) {
    return { kind: 'binding', reason: `the Chroma binding for this system (${missing[1]}) is not installed` };
  }
  if (/ERR_DLOPEN_FAILED|\.node: (?:cannot open|invalid ELF|undefined symbol)/.test(text)) {
    const line = lines.find((l) => /^Error: /.test(l.trim()))?.trim().slice(7, 200);
    return { kind: 'binding', reason: `the Chroma binding could not load${line ? ` (${line})` : ''}` };
  }
  if (/Unsupported (?:Windows architecture|architecture|platform)/.test(text)) {
    return { kind: 'unsupported-platform', reason: 'the npm Chroma CLI does not run on this system' };
  }
  const port = /Address (\S+) is not available|address already in use|EADDRINUSE/i.exec(text);
  if (port) {
    return { kind: 'port-in-use', reason: `the port is in use by another program${port[1] ? ` (${port[1]})` : ''}` };
  }
  if (/database is locked|SQLITE_BUSY/i.test(text)) {
    return { kind: 'folder-locked', reason: 'another process has the data folder locked' };
  }
  return undefined;
}
