/**
 * Reading and editing docker-compose files for Chroma's telemetry setting, with the `yaml` library's document API
 * so that the user's comments, order and other services are kept. No `vscode` here.
 */
import { isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { Document } from 'yaml';

export const CHROMA_IMAGE = 'chromadb/chroma';
const VAR = 'ANONYMIZED_TELEMETRY';

export type TelemetryState = 'off' | 'on' | 'unset' | 'from-env';

export interface ChromaService {
  name: string;
  /** The state the service's own `environment` gives the variable. */
  telemetry: TelemetryState;
  /** 0-based line of the service's key, for a CodeLens. */
  line: number;
}

function isFalse(value: string): boolean {
  return /^(false|0|no|off)$/i.test(value.trim().replace(/^["']|["']$/g, ''));
}

function stateOf(value: string | undefined): TelemetryState {
  if (value === undefined) {
    return 'unset';
  }
  if (/\$\{?ANONYMIZED_TELEMETRY/.test(value)) {
    return 'from-env';
  }
  return isFalse(value) ? 'off' : 'on';
}

function lineOf(text: string, offset: number | undefined): number {
  return offset === undefined ? 0 : text.slice(0, offset).split('\n').length - 1;
}

function envValue(service: YAMLMap): string | undefined {
  const env = service.get('environment', true);
  if (isSeq(env)) {
    for (const item of env.items) {
      const s = isScalar(item) ? String(item.value) : '';
      const m = /^\s*ANONYMIZED_TELEMETRY\s*=(.*)$/.exec(s);
      if (m) {
        return m[1];
      }
      if (s.trim() === VAR) {
        return `\${${VAR}}`;
      }
    }
  } else if (isMap(env)) {
    const v = env.get(VAR, true);
    if (v !== undefined) {
      return isScalar(v) ? String(v.value) : '';
    }
  }
  return undefined;
}

function isChroma(service: unknown): service is YAMLMap {
  if (!isMap(service)) {
    return false;
  }
  const image = service.get('image');
  return typeof image === 'string' && image.replace(/^docker\.io\//, '').startsWith(CHROMA_IMAGE);
}

function parse(text: string): Document.Parsed {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new Error(`The compose file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  return doc;
}

/** The Chroma services of a compose file and their telemetry setting. */
export function chromaServices(text: string): ChromaService[] {
  let doc: Document.Parsed;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  const services = doc.get('services', true);
  if (!isMap(services)) {
    return [];
  }
  const out: ChromaService[] = [];
  for (const pair of services.items) {
    if (isChroma(pair.value)) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const range = isScalar(pair.key) ? pair.key.range : undefined;
      out.push({ name, telemetry: stateOf(envValue(pair.value)), line: lineOf(text, range?.[0]) });
    }
  }
  return out;
}

/** Sets ANONYMIZED_TELEMETRY=False in a service's environment, in the form (list or map) it already uses. */
function turnOff(doc: Document.Parsed, service: YAMLMap): void {
  const env = service.get('environment', true);
  if (isSeq(env)) {
    const i = env.items.findIndex((item) => isScalar(item) && new RegExp(`^\\s*${VAR}\\s*(=|$)`).test(String(item.value)));
    const node = doc.createNode(`${VAR}=False`);
    if (i >= 0) {
      env.items[i] = node;
    } else {
      env.items.push(node);
    }
  } else if (isMap(env)) {
    env.set(VAR, 'False');
  } else {
    const seq = new YAMLSeq();
    seq.items.push(doc.createNode(`${VAR}=False`));
    service.set('environment', seq);
  }
}

export interface ComposeEdit {
  text: string;
  /** The service written or fixed. */
  service: string;
  action: 'added' | 'fixed' | 'unchanged';
}

/**
 * Adds a Chroma service (chromadb/chroma, port 8000, ANONYMIZED_TELEMETRY=False, a ./chroma-data volume) to a
 * compose file, or, if one exists, makes sure its telemetry is off. `text` undefined: a new file.
 */
export function addChromaService(text: string | undefined, opts: { serviceName?: string; hostPort?: number } = {}): ComposeEdit {
  const doc = parse(text ?? '');
  if (doc.contents === null || doc.contents === undefined) {
    doc.contents = doc.createNode({}) as never;
  }
  if (!isMap(doc.contents)) {
    throw new Error('The compose file does not hold a mapping at its top level, so no service can be added to it.');
  }
  let services = doc.get('services', true);
  if (!isMap(services)) {
    services = new YAMLMap();
    doc.set('services', services);
  }
  const map = services as YAMLMap;
  const existing = map.items.find((p) => isChroma(p.value));
  if (existing) {
    const name = isScalar(existing.key) ? String(existing.key.value) : String(existing.key);
    const svc = existing.value as YAMLMap;
    if (stateOf(envValue(svc)) === 'off') {
      return { text: text ?? doc.toString(), service: name, action: 'unchanged' };
    }
    turnOff(doc, svc);
    return { text: doc.toString(), service: name, action: 'fixed' };
  }
  let name = opts.serviceName ?? 'chroma';
  for (let i = 2; map.has(name); i++) {
    name = `${opts.serviceName ?? 'chroma'}-${i}`;
  }
  map.set(
    name,
    doc.createNode({
      image: `${CHROMA_IMAGE}:latest`,
      ports: [`${opts.hostPort ?? 8000}:8000`],
      environment: [`${VAR}=False`],
      volumes: ['./chroma-data:/data'],
    }),
  );
  return { text: doc.toString(), service: name, action: 'added' };
}

/** Turns telemetry off in one named service. */
export function turnOffTelemetry(text: string, serviceName: string): string {
  const doc = parse(text);
  const svc = doc.getIn(['services', serviceName], true);
  if (!isMap(svc)) {
    throw new Error(`There is no service "${serviceName}" in this compose file.`);
  }
  turnOff(doc, svc);
  return doc.toString();
}
