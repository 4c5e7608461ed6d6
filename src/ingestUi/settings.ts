import * as vscode from 'vscode';
import type { IdStrategy } from '../ingest/records';
import type { ChunkConfig } from '../ingest/run';

export const IngestSettings = {
  chunkSize: 'chroma.ingest.chunkSize',
  chunkOverlap: 'chroma.ingest.chunkOverlap',
  chunkSizeTokens: 'chroma.ingest.chunkSizeTokens',
  chunkOverlapTokens: 'chroma.ingest.chunkOverlapTokens',
  sizeUnit: 'chroma.ingest.sizeUnit',
  idStrategy: 'chroma.ingest.idStrategy',
  maxFileSizeMB: 'chroma.ingest.maxFileSizeMB',
  include: 'chroma.ingest.include',
} as const;

export interface IngestConfig {
  chunks: ChunkConfig;
  maxBytes: number;
  include: string;
}

export function readIngestConfig(scope?: vscode.Uri): IngestConfig {
  const c = vscode.workspace.getConfiguration(undefined, scope);
  return {
    chunks: {
      chunkSize: c.get<number>(IngestSettings.chunkSize, 1000),
      chunkOverlap: c.get<number>(IngestSettings.chunkOverlap, 100),
      chunkSizeTokens: c.get<number>(IngestSettings.chunkSizeTokens, 256),
      chunkOverlapTokens: c.get<number>(IngestSettings.chunkOverlapTokens, 32),
      sizeUnit: c.get<'auto' | 'characters'>(IngestSettings.sizeUnit, 'auto'),
      idStrategy: c.get<IdStrategy>(IngestSettings.idStrategy, 'path'),
    },
    maxBytes: c.get<number>(IngestSettings.maxFileSizeMB, 5) * 1024 * 1024,
    include: c.get<string>(IngestSettings.include, '**/*.{md,mdx,markdown,txt,rst,adoc,py,js,jsx,ts,tsx,java,kt,go,rs,c,h,cpp,hpp,cs,rb,php,swift,scala,sh,sql,json,yaml,yml,toml,html,css}'),
  };
}
