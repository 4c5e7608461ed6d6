/**
 * The catalogue in the shapes its two consumers read: package.json's `contributes.languageModelTools` entries
 * (written by scripts/agent-tools.mjs, checked by a test) and MCP's `tools/list` answer. No `vscode` here.
 */
import { TOOLS } from './catalogue';
import type { ToolSpec } from './catalogue';
import { publicSchema } from './schemaParts';

/** One `contributes.languageModelTools` entry, as VS Code reads it. */
export interface LanguageModelToolContribution {
  name: string;
  displayName: string;
  modelDescription: string;
  userDescription: string;
  toolReferenceName: string;
  canBeReferencedInPrompt: boolean;
  icon: string;
  tags: string[];
  inputSchema: unknown;
}

function tagsOf(t: ToolSpec): string[] {
  const tags = ['chroma', 'vector-database'];
  tags.push(t.writes ? 'writes' : 'read-only');
  if (t.name.includes('workspace') || t.name === 'chroma_show_results') {
    tags.push('workspace');
  }
  return tags;
}

export function languageModelToolsContribution(): LanguageModelToolContribution[] {
  return TOOLS.map((t) => ({
    name: t.name,
    displayName: t.displayName,
    modelDescription: t.modelDescription,
    userDescription: t.userDescription,
    toolReferenceName: t.toolReferenceName,
    canBeReferencedInPrompt: true,
    icon: '$(database)',
    tags: tagsOf(t),
    inputSchema: publicSchema(t.inputSchema),
  }));
}

/** One tool as MCP's `tools/list` describes it. */
export interface McpToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
}

export function mcpToolDefinitions(): McpToolDefinition[] {
  return TOOLS.map((t) => ({
    name: t.name,
    title: t.displayName,
    description: t.modelDescription,
    inputSchema: publicSchema(t.inputSchema) as McpToolDefinition['inputSchema'],
    annotations: {
      title: t.displayName,
      readOnlyHint: !t.writes,
      destructiveHint: t.destructive,
      idempotentHint: !t.writes || t.name === 'chroma_delete_documents' || t.name === 'chroma_update_documents',
      // The tools act on the person's own Chroma servers, not the open web.
      openWorldHint: false,
    },
  }));
}
