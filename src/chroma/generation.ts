/**
 * Which kind of Chroma a server is, as far as what it takes in filters and metadata goes, learnt from its
 * capabilities (a 0.x server reports its own version; list metadata tells a 1.5+ server from an older 1.x one).
 * Used to refuse, before sending, what the server would answer with a raw 400. No `vscode` here.
 */
import type { ServerCapabilities } from './capabilities';

/**
 * - `0.x`: Chroma 0.5.18–0.6.x (Python): no regex, no `$contains` on metadata, `$and` / `$or` need two or more items,
 *   `$in` lists of one type (a whole number and a decimal one are two types);
 * - `1.x`: Chroma 1.x before list metadata (1.0–1.4): no `$contains` on metadata, no `#document` in `where`;
 * - `1.5`: Chroma 1.5 and later: list metadata values, `$contains` on them, `#document`.
 */
export type Generation = '0.x' | '1.x' | '1.5';

const LEGACY = /^0\.(\d{1,3})/;

/** The generation, or undefined when the capabilities do not tell (then nothing is refused for it). */
export function serverGeneration(caps: Pick<ServerCapabilities, 'features' | 'version'>): Generation | undefined {
  if (caps.version !== undefined && LEGACY.test(caps.version)) {
    return '0.x';
  }
  const lists = caps.features.listMetadata.support;
  return lists === 'yes' ? '1.5' : lists === 'no' ? '1.x' : undefined;
}

/** The server as messages name it: "Chroma 0.6" (from its version), "Chroma 1.x before 1.5", "Chroma 1.5 or later". */
export function generationLabel(caps: Pick<ServerCapabilities, 'features' | 'version'>): string {
  const legacy = caps.version === undefined ? null : LEGACY.exec(caps.version);
  if (legacy) {
    return `Chroma 0.${legacy[1]}`;
  }
  switch (serverGeneration(caps)) {
    case '1.x':
      return 'Chroma 1.x before 1.5';
    case '1.5':
      return 'Chroma 1.5 or later';
    default:
      return 'Chroma';
  }
}
