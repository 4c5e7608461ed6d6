/** A tiny typed event emitter with the shape of VS Code's, for the pure models. No `vscode` here. */
export interface Subscription {
  dispose(): void;
}

export class Emitter<T> {
  private listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): Subscription => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      l(value);
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
