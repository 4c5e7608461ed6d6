/**
 * A connection's URL made the server root. Its own module: the connection store checks URLs at activation, which
 * must not load the transport (and ofetch) before the first request.
 */
import { ChromaInvalidArgumentError } from './errors';
import { quote } from './sanitize';

/** The server root without any trailing slash or `/api/v…` suffix. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // Mask anything that looks like user:password@ before quoting the input back.
    const shown = quote(url.replace(/\/\/[^/@]*@/, '//…@'), 80);
    throw new ChromaInvalidArgumentError(`${shown} is not a valid URL. Use a URL like http://localhost:8000.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ChromaInvalidArgumentError(
      `"${parsed.protocol}" URLs are not supported. Use an http:// or https:// URL like http://localhost:8000.`,
    );
  }
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api(\/v\d+)?$/, '');
  return `${parsed.origin}${path}`;
}
