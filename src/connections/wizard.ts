/**
 * The Add/Edit Connection wizard. Step 1 is the URL, prefilled with http://localhost:8000 (or a "Chroma Cloud"
 * choice that asks only for an API key); Enter through every later step takes the defaults (name host:port, no
 * auth). The connection is checked (heartbeat + identity) before it is saved, and a failed check says why.
 */
import * as vscode from 'vscode';
import { describeError, isAuthError, normalizeBaseUrl } from '../chroma';
import type { ChromaClient } from '../chroma';
import { CHROMA_CLOUD_URL, connectionUrlProblem, defaultConnectionName, hasUrlCredentials, LOCAL_URL } from './core/connectionConfig';
import type { AuthHeader, ConnectionConfig } from './core/connectionConfig';
import { BACK, inputStep, pickStep, runSteps, SKIP, typedOrPickStep } from '../platform/quickInput';
import type { StepResult } from '../platform/quickInput';
import { ClientCache } from './clients';
import type { ConnectionStore } from './store';

interface Draft {
  url: string;
  cloud: boolean;
  name: string;
  authHeader?: AuthHeader;
  /** undefined: keep the stored one (when editing); '' none. */
  secret?: string;
  username?: string;
  tenant?: string;
  database?: string;
}

interface AuthItem extends vscode.QuickPickItem {
  header?: AuthHeader;
}

const AUTH_ITEMS: AuthItem[] = [
  { label: 'No authentication', description: 'local servers and the open-source server without a proxy' },
  { label: 'x-chroma-token header', description: "Chroma's own token header (Chroma Cloud, most proxies)", header: 'x-chroma-token' },
  { label: 'Authorization: Bearer', description: 'a bearer token checked by a proxy', header: 'authorization' },
  { label: 'Basic auth', description: 'user name and password checked by a proxy', header: 'basic' },
];

const CLOUD_ITEM: vscode.QuickPickItem = {
  label: '$(cloud) Chroma Cloud',
  description: 'api.trychroma.com',
  detail: 'Sign in with an API key; tenant and databases are discovered.',
};

/**
 * The URL step's item for what was typed. Invalid URLs and URLs with credentials (which would land in
 * settings.json and logs) are refused, and a typed password is never shown back.
 */
function urlItem(v: string): vscode.QuickPickItem {
  const problem = connectionUrlProblem(v);
  if (!problem) {
    return { label: `$(plug) Connect to ${v}` };
  }
  return { label: '$(warning) Type a server URL', description: hasUrlCredentials(v) ? undefined : v, detail: problem };
}

/** What the steps share: the answers so far and the wizard's own state. */
interface Wizard {
  store: ConnectionStore;
  existing?: ConnectionConfig;
  editing: boolean;
  title: string;
  d: Draft;
  /** The user changed the name (or is editing): no longer follow the URL. */
  nameTouched: boolean;
  /** The server's tenant and databases when the check passed, undefined when it was skipped. */
  checked?: { tenant: string; databases: string[] };
  /** The check failed and the user chose to change the answers: run the steps again. */
  restartRequested: boolean;
}

const total = (w: Wizard) => (w.d.cloud ? 2 : w.d.authHeader ? 4 : 3);

/** Runs the wizard; resolves to the saved connection, or undefined when cancelled. */
export async function connectionWizard(store: ConnectionStore, existing?: ConnectionConfig): Promise<ConnectionConfig | undefined> {
  const editing = existing !== undefined;
  const w: Wizard = {
    store,
    existing,
    editing,
    title: editing ? `Edit Chroma Connection "${existing.name}"` : 'Add Chroma Connection',
    d: {
      url: existing?.url ?? LOCAL_URL,
      cloud: existing ? new URL(normalizeBaseUrl(existing.url)).origin === CHROMA_CLOUD_URL : false,
      name: existing?.name ?? '',
      authHeader: existing?.authHeader,
      tenant: existing?.tenant,
      database: existing?.database,
    },
    nameTouched: editing,
    restartRequested: false,
  };
  const steps: Array<() => Promise<StepResult<unknown>>> = [urlStep, nameStep, authStep, secretStep, checkStep, databaseStep].map(
    (step) => () => step(w),
  );
  for (;;) {
    w.restartRequested = false;
    const finished = await runSteps(steps);
    if (finished) {
      break;
    }
    if (!w.restartRequested) {
      return undefined;
    }
  }
  const d = w.d;
  if (d.cloud && !w.nameTouched) {
    d.name = uniqueName(store, d.tenant ? `Chroma Cloud (${d.tenant.slice(0, 8)})` : 'Chroma Cloud', existing?.name);
  }
  const conn = toConfig(d);
  await store.save(conn, {
    previousName: existing?.name,
    secret: d.authHeader ? d.secret : null,
  });
  return conn;
}

/** Step 1: the server URL, or the Chroma Cloud item. */
async function urlStep(w: Wizard): Promise<StepResult<unknown>> {
  const d = w.d;
  const r = await typedOrPickStep({ title: w.title, step: 1, totalSteps: total(w) }, {
    value: d.cloud ? LOCAL_URL : d.url,
    placeholder: 'The Chroma server URL, e.g. http://localhost:8000',
    itemFor: urlItem,
    extra: [CLOUD_ITEM],
    validate: connectionUrlProblem,
  });
  if (r === undefined || r === BACK || r === SKIP) {
    return r;
  }
  if ('picked' in r) {
    d.cloud = true;
    d.url = CHROMA_CLOUD_URL;
    d.authHeader = 'x-chroma-token';
  } else {
    d.cloud = false;
    if (d.url !== r.typed) {
      d.url = r.typed;
      d.authHeader = w.editing ? d.authHeader : undefined;
    }
  }
  if (!w.nameTouched) {
    d.name = defaultConnectionName(d.url);
  }
  return true;
}

/** Step 2: the connection's name (skipped for Chroma Cloud, named after its tenant). */
async function nameStep(w: Wizard): Promise<StepResult<unknown>> {
  const d = w.d;
  if (d.cloud) {
    return SKIP;
  }
  const r = await inputStep({ title: w.title, step: 2, totalSteps: total(w) }, {
    value: d.name,
    prompt: 'A name for this connection (Enter keeps the default)',
    validate: (v) => {
      if (!v.trim()) {
        return 'The name cannot be empty.';
      }
      return v !== w.existing?.name && w.store.get(v.trim()) ? `A connection named "${v.trim()}" exists already.` : undefined;
    },
  });
  if (typeof r === 'string') {
    w.nameTouched = w.nameTouched || r.trim() !== d.name;
    d.name = r.trim();
  }
  return r;
}

/** Step 3: how the server checks requests (Chroma Cloud: always its token header). */
async function authStep(w: Wizard): Promise<StepResult<unknown>> {
  const d = w.d;
  if (d.cloud) {
    return SKIP;
  }
  const active = AUTH_ITEMS.find((a) => a.header === d.authHeader) ?? AUTH_ITEMS[0];
  const r = await pickStep({ title: w.title, step: 3, totalSteps: total(w) }, {
    items: AUTH_ITEMS,
    active,
    placeholder: 'How does the server check requests? (Enter: no authentication)',
  });
  if (r && r !== BACK && r !== SKIP) {
    d.authHeader = r.header;
  }
  return r;
}

/** Step 4: the token, key or user:password; when editing the same origin and header, empty keeps the stored one. */
async function secretStep(w: Wizard): Promise<StepResult<unknown>> {
  const d = w.d;
  const existing = w.existing;
  if (!d.authHeader) {
    d.secret = '';
    return SKIP;
  }
  const keep = w.editing && existing?.authHeader === d.authHeader && new URL(existing.url).origin === new URL(d.url).origin;
  const what = d.cloud ? 'Chroma Cloud API key' : d.authHeader === 'basic' ? 'user name and password, as user:password' : 'token';
  const r = await inputStep({ title: w.title, step: d.cloud ? 2 : 4, totalSteps: total(w) }, {
    prompt: `The ${what}. It is kept in VS Code's secret storage, never in settings.${keep ? ' Leave empty to keep the stored one.' : ''}`,
    password: true,
    validate: (v) => {
      if (!v && !keep) {
        return `Enter the ${what}.`;
      }
      return d.authHeader === 'basic' && v && !v.includes(':') ? 'Use the form user:password.' : undefined;
    },
  });
  if (typeof r === 'string') {
    d.secret = r === '' && keep ? undefined : r;
  }
  return r;
}

/** Checks the server with the answers so far; on failure the user changes them, saves anyway or cancels. */
async function checkStep(w: Wizard): Promise<StepResult<unknown>> {
  const secret = w.d.secret === undefined && w.existing ? await w.store.getSecret(w.existing) : w.d.secret;
  const client = ClientCache.create(toConfig(w.d), secret);
  try {
    w.checked = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking Chroma at ${client.transport.host}…` },
      () => check(client),
    );
  } catch (e) {
    const reason = describeError(e);
    const items: vscode.QuickPickItem[] = [
      { label: '$(edit) Change the connection', detail: 'Go back to the URL and the other answers.' },
      { label: '$(save) Save anyway', detail: 'Keep it as it is, e.g. for a server that is not running yet.' },
      { label: '$(close) Cancel' },
    ];
    const r = await pickStep({ title: `${w.title}: the check failed` }, { items, placeholder: reason });
    if (!r || r === BACK || r === SKIP || r === items[2]) {
      return undefined;
    }
    if (r === items[0]) {
      w.restartRequested = true;
      return undefined;
    }
    w.checked = undefined;
    return true;
  }
  return true;
}

/** The database to open first, asked only when the checked server has more than one. */
async function databaseStep(w: Wizard): Promise<StepResult<unknown>> {
  const d = w.d;
  if (!w.checked) {
    return SKIP;
  }
  const { tenant, databases } = w.checked;
  d.tenant = d.tenant ?? (d.cloud ? tenant : undefined);
  if (databases.length <= 1) {
    d.database = d.database ?? (d.cloud ? databases[0] : undefined);
    return SKIP;
  }
  const preferred = d.database ?? (databases.includes('default_database') ? 'default_database' : databases[0]);
  const items = databases.map((db) => ({ label: db, description: db === preferred ? 'default' : undefined }));
  const r = await pickStep({ title: `${w.title}: database`, back: true }, {
    items,
    active: items.find((i) => i.label === preferred),
    placeholder: `Which database of tenant ${tenant} to open first? (all are listed in the tree)`,
  });
  if (r && r !== BACK && r !== SKIP) {
    d.database = r.label === 'default_database' && !d.cloud ? undefined : r.label;
    if (d.cloud) {
      d.tenant = tenant;
    }
  }
  return r;
}

function toConfig(d: Draft): ConnectionConfig {
  return {
    name: d.name || defaultConnectionName(d.url),
    url: d.url,
    ...(d.tenant ? { tenant: d.tenant } : {}),
    ...(d.database ? { database: d.database } : {}),
    ...(d.authHeader ? { authHeader: d.authHeader } : {}),
  };
}

function uniqueName(store: ConnectionStore, base: string, except?: string): string {
  let name = base;
  for (let i = 2; store.get(name) && name !== except; i++) {
    name = `${base} ${i}`;
  }
  return name;
}

/** Heartbeat, then tenant and databases (from /auth/identity, and the tenant's list when the key may read it). */
async function check(client: ChromaClient): Promise<{ tenant: string; databases: string[] }> {
  await client.heartbeat({ retries: 0 });
  const scope = await client.scope();
  try {
    const dbs = await client.listDatabases({ tenant: scope.tenant, limit: 100 });
    return { tenant: scope.tenant, databases: dbs.map((db) => db.name) };
  } catch (e) {
    if (isAuthError(e)) {
      // a key scoped to one database: keep the one identity named
      return { tenant: scope.tenant, databases: [scope.database] };
    }
    throw e;
  }
}
