import type * as vscode from 'vscode';

const KEY = 'chroma.explorer.largeDatabases';
/** Enough for every large database a user browses; the oldest are forgotten first. */
const MAX_KEYS = 200;

/**
 * The databases found to have more collections than the sorted-list limit, kept across sessions in global state
 * (ids of tree nodes only: connection name, tenant, database), so that their first page is one page of 100.
 */
export class RememberedLargeDatabases {
  constructor(private readonly state: vscode.Memento) {}

  private keys(): string[] {
    const v = this.state.get<unknown>(KEY);
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  }

  has(key: string): boolean {
    return this.keys().includes(key);
  }

  add(key: string): void {
    const keys = this.keys().filter((k) => k !== key);
    keys.push(key);
    void this.state.update(KEY, keys.slice(-MAX_KEYS));
  }

  delete(key: string): void {
    const keys = this.keys();
    if (keys.includes(key)) {
      void this.state.update(KEY, keys.filter((k) => k !== key));
    }
  }
}
