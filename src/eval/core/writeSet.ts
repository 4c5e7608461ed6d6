/**
 * Evaluation sets as text: a whole set written as `.json` or `.jsonl` (what Generate Evaluation Set… saves), and
 * one case added to an existing file's text (what Add to Evaluation Set… does), keeping the rest of the file as it
 * was: its comments, order and formatting. No `vscode` here.
 */
import { applyEdits, modify, parseTree } from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';
import type { Where } from '../../chroma/types';

/** A case as the file holds it (see media/schemas/chroma-eval.schema.json). */
export interface CaseFile {
  name?: string;
  query: string | { text: string } | { vector: number[] } | { record: string; excludeSelf?: boolean };
  expect: { ids?: string[]; sources?: Array<string | { source: string; startLine?: number; endLine?: number }>; where?: Where };
  k?: number;
  where?: Where;
  tags?: string[];
}

export interface TargetFile {
  name?: string;
  connection: string;
  tenant?: string;
  database?: string;
  collection: string;
  where?: Where;
  k?: number;
}

export interface SetFile {
  name?: string;
  description?: string;
  target: TargetFile;
  compare?: Partial<TargetFile>;
  minRecall?: number;
  cases: CaseFile[];
}

/** The set's text: `.json` with two-space indent, or `.jsonl` with the header on the first line and a case per line. */
export function formatSet(set: SetFile, format: 'json' | 'jsonl'): string {
  if (format === 'json') {
    return `${JSON.stringify(set, null, 2)}\n`;
  }
  const { cases, ...header } = set;
  return `${[header, ...cases].map((x) => JSON.stringify(x)).join('\n')}\n`;
}

/**
 * `text` with `c` added as the last case. A `.json` file's "cases" list gets it (created when missing); a `.jsonl`
 * file gets it as a new last line. Undefined when the `.json` text is not an object that can take it (the caller
 * says the file must be fixed first).
 */
export function addCaseText(text: string, format: 'json' | 'jsonl', c: CaseFile): string | undefined {
  if (format === 'jsonl') {
    const body = text.replace(/\s+$/, '');
    return `${body}${body ? '\n' : ''}${JSON.stringify(c)}\n`;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (!root || root.type !== 'object' || errors.length > 0) {
    return undefined;
  }
  const cases = root.children?.find((p) => p.children?.[0]?.value === 'cases')?.children?.[1];
  if (cases && cases.type !== 'array') {
    return undefined;
  }
  const indent = /\n([ \t]+)"/.exec(text)?.[1];
  const formattingOptions = { insertSpaces: !indent?.startsWith('\t'), tabSize: indent && !indent.startsWith('\t') ? indent.length : 2, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const path = cases ? ['cases', cases.children?.length ?? 0] : ['cases'];
  const value = cases ? c : [c];
  return applyEdits(text, modify(text, path, value, { formattingOptions, isArrayInsertion: !!cases }));
}
