/**
 * The overview page's HTML: a fixed skeleton with no server data in it (the script fills it in as text), a strict
 * Content-Security-Policy (scripts only with this page's nonce, styles and images only from the extension's
 * media/overview folder, nothing remote). The page's script, media/overview/overview.js, is built by esbuild.mjs from
 * src/overview/webview/ (it checks incoming messages with the host's own checker, bundled in).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { RestoreInfo } from './core/restoreState';

export const MEDIA_DIR = ['media', 'overview'] as const;

/** JSON that is safe inside a <script type="application/json"> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The page's top: title, Scan all and Refresh, the sample line, progress with Cancel, errors, section links. */
const HEADER = `<header class="top">
  <div class="titleRow">
    <h1 id="title">Collection Overview</h1>
    <button id="scanAll" type="button" class="secondary" hidden>Scan all</button>
    <button id="rescan" type="button" class="secondary" title="Read the collection again">Refresh</button>
  </div>
  <p id="sample" class="sample">Reading the collection…</p>
  <div id="progress" class="progress" role="status" aria-live="polite" hidden>
    <div class="bar" aria-hidden="true"><div id="progressFill" class="fill"></div></div>
    <span id="progressText"></span>
    <button id="cancel" type="button" class="secondary">Cancel</button>
  </div>
  <div id="error" class="error" role="alert" hidden></div>
  <nav class="jump" aria-label="Sections">
    <a href="#map">Map</a><a href="#facets">Facets</a><a href="#health">Health</a><a href="#facts">Facts</a>
  </nav>
</header>`;

/** The embedding map: its toolbars, the canvas, the legend and the details of a point. */
const MAP_SECTION = `  <section id="map" aria-labelledby="mapHead">
    <h2 id="mapHead">Embedding map</h2>
    <div class="toolbar">
      <label class="field">Colour by <select id="colorBy"><option value="-1">nothing</option></select></label>
      <div class="seg" role="group" aria-label="Projection">
        <button id="pca" type="button" aria-pressed="true">PCA</button>
        <button id="umap" type="button" aria-pressed="false">UMAP</button>
      </div>
      <button id="resetView" type="button" class="secondary">Reset view</button>
    </div>
    <div class="toolbar">
      <button id="selectVisible" type="button" class="secondary">Select visible</button>
      <button id="clearSelection" type="button" class="secondary" disabled>Clear selection</button>
      <button id="copyIds" type="button" disabled>Copy ids</button>
      <button id="exportSelection" type="button" disabled>Export selection</button>
      <span id="selectionText" class="muted" aria-live="polite"></span>
    </div>
    <p id="highlight" class="highlight" hidden></p>
    <div id="canvasWrap" class="canvasWrap">
      <canvas id="canvas" tabindex="0" role="img" aria-label="Embedding map" aria-describedby="mapHelp"></canvas>
      <div id="tooltip" class="tooltip" hidden></div>
      <p id="mapEmpty" class="mapEmpty" hidden></p>
    </div>
    <p id="outliers" class="muted small" hidden><span id="outliersText"></span> <button id="showAll" type="button" class="link">Show all points</button></p>
    <p id="mapHelp" class="muted small">Drag to pan, wheel to zoom, Shift+drag to select a box, click a point to open its record.
      With the map focused: arrow keys move the cursor, + and − zoom, Enter opens the nearest record, Space selects it, 0 resets the view, Escape clears the selection.</p>
    <ul id="legend" class="legend" aria-label="Colours"></ul>
    <div id="details" class="details" aria-live="polite"></div>
  </section>`;

/** Metadata facets, health findings and facts. */
const OTHER_SECTIONS = `  <section id="facets" aria-labelledby="facetsHead">
    <h2 id="facetsHead">Metadata facets</h2>
    <p class="muted small">Click a value to list the records that have it in the Chroma Explorer tree (Filter Records).</p>
    <div id="facetList" class="facetList"></div>
  </section>
  <section id="health" aria-labelledby="healthHead">
    <h2 id="healthHead">Health</h2>
    <ul id="findingList" class="findings"></ul>
  </section>
  <section id="facts" aria-labelledby="factsHead">
    <h2 id="factsHead">Facts</h2>
    <dl id="factList" class="facts"></dl>
  </section>`;

/**
 * `restore`: the collection the page shows, which the page keeps in its webview state so that the panel opens again
 * after a window reload (see the serializer in src/extension.ts).
 */
export function overviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, restore: RestoreInfo): string {
  const nonce = randomBytes(18).toString('base64');
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...MEDIA_DIR, file)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('overview.css')}">
<link rel="stylesheet" href="${media('overview-panels.css')}">
<title>Collection Overview</title>
</head>
<body>
${HEADER}
<main>
${MAP_SECTION}
${OTHER_SECTIONS}
</main>
<script type="application/json" id="restore">${scriptJson(restore)}</script>
<script nonce="${nonce}" src="${media('overview.js')}"></script>
</body>
</html>`;
}

/** A page with one message and nothing else (no script): an overview that could not open again after a reload. */
export function messageHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>Collection Overview</title>
</head>
<body>
<p>${escaped}</p>
</body>
</html>`;
}
