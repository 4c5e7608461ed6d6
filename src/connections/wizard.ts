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

/** Runs the wizard; resolves to the saved connection, or undefined when cancelled. */
export async function connectionWizard(store: ConnectionStore, existing?: ConnectionConfig): Promise<ConnectionConfig | undefined> {
  const editing = existing !== undefined;
  const title = editing ? `Edit Chroma Connection "${existing.name}"` : 'Add Chroma Connection';
  const d: Draft = {
    url: existing?.url ?? LOCAL_URL,
    cloud: existing ? new URL(normalizeBaseUrl(existing.url)).origin === CHROMA_CLOUD_URL : false,
    name: existing?.name ?? '',
    authHeader: existing?.authHeader,
    tenant: existing?.tenant,
    database: existing?.database,
  };
  let nameTouched = editing;
  const total = () => (d.cloud ? 2 : d.authHeader ? 4 : 3);
  let checked: { tenant: string; databases: string[] } | undefined;

  const steps: Array<() => Promise<StepResult<unknown>>> = [
    async () => {
      const r = await typedOrPickStep({ title, step: 1, totalSteps: total() }, {
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
          d.authHeader = editing ? d.authHeader : undefined;
        }
      }
      if (!nameTouched) {
        d.name = defaultConnectionName(d.url);
      }
      return true;
    },
    async () => {
      if (d.cloud) {
        return SKIP;
      }
      const r = await inputStep({ title, step: 2, totalSteps: total() }, {
        value: d.name,
        prompt: 'A name for this connection (Enter keeps the default)',
        validate: (v) => {
          if (!v.trim()) {
            return 'The name cannot be empty.';
          }
          return v !== existing?.name && store.get(v.trim()) ? `A connection named "${v.trim()}" exists already.` : undefined;
        },
      });
      if (typeof r === 'string') {
        nameTouched = nameTouched || r.trim() !== d.name;
        d.name = r.trim();
      }
      return r;
    },
    async () => {
      if (d.cloud) {
        return SKIP;
      }
      const active = AUTH_ITEMS.find((a) => a.header === d.authHeader) ?? AUTH_ITEMS[0];
      const r = await pickStep({ title, step: 3, totalSteps: total() }, {
        items: AUTH_ITEMS,
        active,
        placeholder: 'How does the server check requests? (Enter: no authentication)',
      });
      if (r && r !== BACK && r !== SKIP) {
        d.authHeader = r.header;
      }
      return r;
    },
    async () => {
      if (!d.authHeader) {
        d.secret = '';
        return SKIP;
      }
      const keep = editing && existing?.authHeader === d.authHeader && new URL(existing.url).origin === new URL(d.url).origin;
      const what = d.cloud ? 'Chroma Cloud API key' : d.authHeader === 'basic' ? 'user name and password, as user:password' : 'token';
      const r = await inputStep({ title, step: d.cloud ? 2 : 4, totalSteps: total() }, {
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
    },
    async () => {
      const secret = d.secret === undefined && existing ? await store.getSecret(existing) : d.secret;
      const draftConn: ConnectionConfig = toConfig(d);
      const client = ClientCache.create(draftConn, secret);
      try {
        checked = await vscode.window.withProgress(
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
        const r = await pickStep({ title: `${title}: the check failed` }, { items, placeholder: reason });
        if (!r || r === BACK || r === SKIP || r === items[2]) {
          return undefined;
        }
        if (r === items[0]) {
          return restart();
        }
        checked = undefined;
        return true;
      }
      return true;
    },
    async () => {
      if (!checked) {
        return SKIP;
      }
      const { tenant, databases } = checked;
      d.tenant = d.tenant ?? (d.cloud ? tenant : undefined);
      if (databases.length <= 1) {
        d.database = d.database ?? (d.cloud ? databases[0] : undefined);
        return SKIP;
      }
      const preferred = d.database ?? (databases.includes('default_database') ? 'default_database' : databases[0]);
      const items = databases.map((db) => ({ label: db, description: db === preferred ? 'default' : undefined }));
      const r = await pickStep({ title: `${title}: database`, back: true }, {
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
    },
  ];

  let restartRequested = false;
  const restart = (): StepResult<unknown> => {
    restartRequested = true;
    return undefined;
  };

  for (;;) {
    restartRequested = false;
    const finished = await runSteps(steps);
    if (finished) {
      break;
    }
    if (!restartRequested) {
      return undefined;
    }
  }
  if (d.cloud && !nameTouched) {
    d.name = uniqueName(store, d.tenant ? `Chroma Cloud (${d.tenant.slice(0, 8)})` : 'Chroma Cloud', existing?.name);
  }
  const conn = toConfig(d);
  await store.save(conn, {
    previousName: existing?.name,
    secret: d.authHeader ? d.secret : null,
  });
  return conn;
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
