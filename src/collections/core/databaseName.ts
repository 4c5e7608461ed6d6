/**
 * Database names for Create Database…: newer servers take 3–512 characters from [a-zA-Z0-9._-], starting and
 * ending with a letter or digit (1.0.0 takes any 3 or more), so names that pass here work on every server.
 * No `vscode` here.
 */
const DATABASE_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;

/** Why `name` cannot be a new database's name (`existing`: the names already taken), or undefined. */
export function databaseNameMessage(name: string, existing: readonly string[]): string | undefined {
  if (name.length < 3 || name.length > 512) {
    return `A database name has 3–512 characters (this one has ${name.length}).`;
  }
  if (!DATABASE_NAME.test(name)) {
    return 'Use letters, digits, ".", "_" and "-", starting and ending with a letter or digit.';
  }
  return existing.includes(name) ? `The database "${name}" already exists.` : undefined;
}
