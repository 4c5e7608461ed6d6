/**
 * Renders Markdown the way VS Code's Markdown preview does (markdown-it with HTML and linkify on), and replays what
 * VS Code does with theme icons, so tests check what a user would see rather than the escaped source.
 * markdown-it comes with @vscode/vsce; it has no types of its own.
 */
import { createRequire } from 'node:module';

type MarkdownIt = { render(src: string): string };
const MarkdownItCtor = createRequire(__filename)('markdown-it') as (opts: object) => MarkdownIt;
const md = MarkdownItCtor({ html: true, linkify: true });

export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** The HTML tags a rendering produced that server text must never produce. */
export function activeTags(html: string): string[] {
  return [...html.matchAll(/<(a|img|script|iframe|em|strong|h[1-6]|blockquote|ol|table|input|video|svg|style)\b[^>]*>/gi)].map((m) => m[0]);
}

/** The visible text of rendered HTML: tags dropped, the entities markdown-it writes decoded. */
export function visibleText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, '')).trim();
}

/** The text of the first `<code>` element, exactly. */
export function codeText(html: string): string | undefined {
  const m = /<code[^>]*>([\s\S]*?)<\/code>/.exec(html);
  return m ? decodeEntities(m[1]) : undefined;
}

function decodeEntities(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const ICON = '[A-Za-z0-9-]+(?:~[A-Za-z0-9-]*)?';

/**
 * Theme icons VS Code would draw for a MarkdownString with `supportThemeIcons`: it first doubles the backslash
 * of each `\$(name)` in the source, renders the Markdown, then draws every `$(name)` of the text that no
 * backslash precedes.
 */
export function iconsDrawn(source: string): string[] {
  const prepared = source.replace(new RegExp(`\\\\\\$\\(${ICON}\\)`, 'g'), (m) => `\\${m}`);
  const text = visibleText(renderMarkdown(prepared));
  return [...text.matchAll(new RegExp(`(\\\\)?\\$\\((${ICON})\\)`, 'g'))].filter((m) => !m[1]).map((m) => m[2]);
}
