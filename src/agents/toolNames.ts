/** The language-model tools a manifest declares (`contributes.languageModelTools[].name`). No `vscode` here. */
export function toolNamesOf(packageJSON: unknown): string[] {
  const tools = (packageJSON as { contributes?: { languageModelTools?: unknown } } | undefined)?.contributes?.languageModelTools;
  return Array.isArray(tools) ? tools.map((t: { name?: unknown }) => t?.name).filter((n): n is string => typeof n === 'string') : [];
}
