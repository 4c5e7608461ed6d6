/** How messages name a request and a size. No `vscode` here. */
import { oneLine } from './sanitize';

/** `GET /api/v2/heartbeat`, or `GET …/count` when the path is long: for messages. */
export function shortOperation(method: string, path: string): string {
  if (path.length <= 60) {
    return `${method} ${path}`;
  }
  const last = path.slice(path.lastIndexOf('/') + 1);
  return `${method} …/${oneLine(last, 40)}`;
}

/** `12 MiB`, `3.5 KiB`, `80 bytes`: for messages. */
export function formatSize(bytes: number): string {
  const round = (n: number) => (n >= 10 ? Math.round(n) : Number(n.toPrecision(2)));
  if (bytes >= 1024 * 1024) {
    return `${round(bytes / (1024 * 1024))} MiB`;
  }
  return bytes >= 1024 ? `${round(bytes / 1024)} KiB` : `${bytes} bytes`;
}
