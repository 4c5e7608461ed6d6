import type * as vscode from 'vscode';

const KEY = 'chroma.explorer.addedDatabases';
/** Enough for every database a user adds by hand; the oldest are forgotten first. */
const MAX_ENTRIES = 500;

interface Entry {
  connection: string;
  tenant: string;
  database: string;
}

const isEntry = (v: unknown): v is Entry =>
  typeof v === 'object' && v !== null && ['connection', 'tenant', 'database'].every((k) => typeof (v as Record<string, unknown>)[k] === 'string');

/**
 * The databases a user added to the view of a connection whose server cannot list them (Add Database to View…), kept
 * across sessions in global state per connection name and tenant (names only, nothing secret).
 */
export class AddedDatabases {
  constructor(private readonly state: vscode.Memento) {}

  private entries(): Entry[] {
    const v = this.state.get<unknown>(KEY);
    return Array.isArray(v) ? v.filter(isEntry) : [];
  }

  list(connection: string, tenant: string): string[] {
    return this.entries()
      .filter((e) => e.connection === connection && e.tenant === tenant)
      .map((e) => e.database);
  }

  async add(connection: string, tenant: string, database: string): Promise<void> {
    const rest = this.entries().filter((e) => !(e.connection === connection && e.tenant === tenant && e.database === database));
    await this.state.update(KEY, [...rest, { connection, tenant, database }].slice(-MAX_ENTRIES));
  }

  async remove(connection: string, tenant: string, database: string): Promise<boolean> {
    const all = this.entries();
    const rest = all.filter((e) => !(e.connection === connection && e.tenant === tenant && e.database === database));
    if (rest.length === all.length) {
      return false;
    }
    await this.state.update(KEY, rest);
    return true;
  }
}
