/**
 * Profiles of the Chroma CLI (`chroma login`), read from `~/.chroma/credentials`: a TOML table per profile with
 * `api_key` and `tenant_id`. Parsed with smol-toml (ESM-only, hence the dynamic import). No `vscode` here.
 */

export interface CliProfile {
  name: string;
  apiKey: string;
  tenant?: string;
}

export async function parseCliCredentials(text: string): Promise<{ profiles: CliProfile[]; problems: string[] }> {
  const { parse } = await import('smol-toml');
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    const line = (e as { line?: number }).line;
    return { profiles: [], problems: [`~/.chroma/credentials is not valid TOML${line ? ` (line ${line})` : ''}.`] };
  }
  const profiles: CliProfile[] = [];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(doc)) {
    const table = value as Record<string, unknown>;
    if (typeof table !== 'object' || table === null || typeof table.api_key !== 'string' || !table.api_key) {
      problems.push(`Profile "${name}" has no api_key; skipped.`);
      continue;
    }
    profiles.push({
      name,
      apiKey: table.api_key,
      ...(typeof table.tenant_id === 'string' && table.tenant_id ? { tenant: table.tenant_id } : {}),
    });
  }
  return { profiles, problems };
}
