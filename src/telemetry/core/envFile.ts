/** `.env` files and Chroma's telemetry variable. No `vscode` here. */
import type { TelemetryState } from './compose';

export interface EnvTelemetry {
  state: TelemetryState;
  /** 0-based line of the variable, or of the first Chroma-related line when it is missing. */
  line: number;
}

const ASSIGN = /^\s*(?:export\s+)?ANONYMIZED_TELEMETRY\s*=\s*(.*?)\s*$/;
const CHROMA_KEY = /^\s*(?:export\s+)?(CHROMA_[A-Z0-9_]*|ANONYMIZED_TELEMETRY|IS_PERSISTENT|PERSIST_DIRECTORY)\s*=/;

/** undefined when the file does not configure Chroma at all. */
export function envTelemetry(text: string): EnvTelemetry | undefined {
  const lines = text.split(/\r?\n/);
  let first: number | undefined;
  let found: EnvTelemetry | undefined;
  lines.forEach((line, i) => {
    if (CHROMA_KEY.test(line)) {
      first ??= i;
    }
    const m = ASSIGN.exec(line);
    if (m) {
      const v = m[1].replace(/^["']|["']$/g, '');
      found = { state: /^(false|0|no|off)$/i.test(v) ? 'off' : 'on', line: i };
    }
  });
  if (found) {
    return found;
  }
  return first === undefined ? undefined : { state: 'unset', line: first };
}

/** The file with ANONYMIZED_TELEMETRY=False: an existing assignment is replaced, else one is appended. */
export function turnOffInEnv(text: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => ASSIGN.test(l));
  if (i >= 0) {
    lines[i] = 'ANONYMIZED_TELEMETRY=False';
    return lines.join(eol);
  }
  const body = text.length === 0 || text.endsWith('\n') ? text : text + eol;
  return `${body}ANONYMIZED_TELEMETRY=False${eol}`;
}
