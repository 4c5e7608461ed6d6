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

export { formatSize } from '../util/size';
