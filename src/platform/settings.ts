/**
 * Every setting the extension reads, declared once: its key and the type of its value. Defaults live only in
 * package.json (VS Code answers with the contributed default when the user set nothing); a contract test checks
 * that the two lists are the same. Settings of `resource` scope are read with the URI they apply to.
 */
import * as vscode from 'vscode';

interface SettingTypes {
  'chroma.connections': unknown;
  'chroma.heartbeat.intervalSeconds': number;
  'chroma.limits.maxResponseMB': number;
  'chroma.limits.maxMetadataKeys': number;
  'chroma.ingest.chunkSize': number;
  'chroma.ingest.chunkOverlap': number;
  'chroma.ingest.chunkSizeTokens': number;
  'chroma.ingest.chunkOverlapTokens': number;
  'chroma.ingest.sizeUnit': 'auto' | 'characters';
  'chroma.ingest.idStrategy': 'path' | 'contentHash';
  'chroma.ingest.maxFileSizeMB': number;
  'chroma.ingest.include': string;
  'chroma.explorer.sortedListLimit': number;
  'chroma.query.nResults': number;
  'chroma.query.highlightSourceLines': boolean;
  'chroma.overview.sampleSize': number;
  'chroma.transfer.embeddingFormat': 'base64' | 'numbers';
  'chroma.embedding.trustedHosts': unknown;
  'chroma.eval.reportFolder': string;
  'chroma.agents.maxResultChars': number;
  'chroma.mcp.enabled': boolean;
  'chroma.mcp.allowWrites': boolean;
  'chroma.local.serverCommand': string;
}

export type SettingKey = keyof SettingTypes;

/** The keys, for `affectsConfiguration` and the contract test. */
export const SETTING_KEYS: readonly SettingKey[] = [
  'chroma.connections',
  'chroma.heartbeat.intervalSeconds',
  'chroma.limits.maxResponseMB',
  'chroma.limits.maxMetadataKeys',
  'chroma.ingest.chunkSize',
  'chroma.ingest.chunkOverlap',
  'chroma.ingest.chunkSizeTokens',
  'chroma.ingest.chunkOverlapTokens',
  'chroma.ingest.sizeUnit',
  'chroma.ingest.idStrategy',
  'chroma.ingest.maxFileSizeMB',
  'chroma.ingest.include',
  'chroma.explorer.sortedListLimit',
  'chroma.query.nResults',
  'chroma.query.highlightSourceLines',
  'chroma.overview.sampleSize',
  'chroma.transfer.embeddingFormat',
  'chroma.embedding.trustedHosts',
  'chroma.eval.reportFolder',
  'chroma.agents.maxResultChars',
  'chroma.mcp.enabled',
  'chroma.mcp.allowWrites',
  'chroma.local.serverCommand',
];

/** A setting's value as the user (or a folder, for `resource` settings read with `scope`) set it, else its default. */
export function setting<K extends SettingKey>(key: K, scope?: vscode.Uri): SettingTypes[K] {
  return vscode.workspace.getConfiguration(undefined, scope).get<SettingTypes[K]>(key) as SettingTypes[K];
}

/** Where a setting's value comes from: the user's settings, the workspace's, the folder's (see `inspect`). */
export function inspectSetting<K extends SettingKey>(key: K): { globalValue?: SettingTypes[K]; workspaceValue?: SettingTypes[K]; workspaceFolderValue?: SettingTypes[K] } | undefined {
  return vscode.workspace.getConfiguration().inspect<SettingTypes[K]>(key);
}

/** True when a configuration change touches any of `keys`. */
export function affects(e: vscode.ConfigurationChangeEvent, ...keys: SettingKey[]): boolean {
  return keys.some((k) => e.affectsConfiguration(k));
}
