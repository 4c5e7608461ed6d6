/**
 * The page's line to the extension: VS Code's webview API (`acquireVsCodeApi`, which VS Code defines in every
 * webview), messages out typed by the protocol, and messages in checked by the protocol's own checker, the very code
 * the extension host checks with (src/overview/core/protocol.ts, bundled into this page). A message that does not
 * fit is dropped.
 */
import { validateToWebview } from '../core/protocol';
import type { ToHost, ToWebview } from '../core/protocol';

export interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): WebviewApi;

/** A message the extension sent, of one type. */
export type FromHost<T extends ToWebview['type']> = Extract<ToWebview, { type: T }>;

/** A message for the page, if it has one of the protocol's shapes; undefined (drop it) otherwise. */
export function fromHost(raw: unknown): ToWebview | undefined {
  return validateToWebview(raw);
}

export class Host {
  private readonly api: WebviewApi = acquireVsCodeApi();

  post(m: ToHost): void {
    this.api.postMessage(m);
  }

  get state(): unknown {
    return this.api.getState();
  }

  set state(s: unknown) {
    this.api.setState(s);
  }
}
