// @ts-check
/**
 * The Collection Overview page: facts, facets, health findings and the embedding map, drawn from the messages the
 * extension sends (each checked against the protocol's shapes first). Server text only ever reaches the page
 * through textContent and attributes, never as HTML. The map is a canvas: points are painted into an ImageData
 * (100,000 points take a few milliseconds), hover and click find the nearest point through a grid over the data.
 * What the page itself decides (zoom, selection, scroll) is kept with setState, so hiding and showing the panel,
 * which reloads the page, keeps it.
 */
(function () {
  'use strict';

  /** @type {{ postMessage(m: unknown): void; getState(): any; setState(s: unknown): void }} */
  const vscode = /** @type {any} */ (window).acquireVsCodeApi();
  /** @type {{ validate(shapes: Record<string, unknown>, msg: unknown): any }} */
  const checker = /** @type {any} */ (window).overviewValidate;
  /** @type {{ frameMap(coords: Float32Array, n: number, width: number, height: number, all?: boolean): { cx: number; cy: number; scale: number; outside: number } }} */
  const framing = /** @type {any} */ (window).overviewFraming;
  const shapes = JSON.parse(/** @type {HTMLElement} */ (document.getElementById('schema')).textContent || '{}');

  /** @template {HTMLElement} T @param {string} id @returns {T} */
  const $ = (id) => /** @type {T} */ (/** @type {unknown} */ (document.getElementById(id)));

  /**
   * An element with text (never HTML) and optional class.
   * @param {string} tag @param {string} [cls] @param {string} [text]
   */
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  const fmt = (/** @type {number} */ n) => n.toLocaleString('en-US');
  const pct = (/** @type {number} */ a, /** @type {number} */ b) => (b > 0 ? `${Math.round((a / b) * 1000) / 10}%` : '0%');
  const post = (/** @type {Record<string, unknown>} */ m) => vscode.postMessage(m);

  // ---- elements ----
  const canvas = /** @type {HTMLCanvasElement} */ ($('canvas'));
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d', { alpha: false }));
  const wrap = $('canvasWrap');
  const tooltip = $('tooltip');
  const details = $('details');
  const colorSelect = /** @type {HTMLSelectElement} */ ($('colorBy'));

  // ---- what the host sent ----
  const data = {
    /** @type {{ total: number, read: number, sampled: boolean, dim: number } | null} */
    scanned: null,
    /** @type {any[]} */
    facets: [],
    /** @type {any[] | null} */
    findings: null,
    canExport: false,
    sampleSize: 0,
    busy: true,
    method: 'pca',
    n: 0,
    /** @type {Float32Array | null} x, y pairs */
    coords: null,
    /** points received of the projection being assembled */
    got: 0,
    complete: false,
    /** @type {Uint8Array | null} */
    codes: null,
    /** @type {{ label: string, count: number }[]} */
    legend: [],
    scale: 'category',
    /** @type {string | null} */
    colorKey: null,
    missing: 0,
    /** @type {number[]} */
    hits: [],
    /** @type {number[] | null} */
    query: null,
    /** @type {Map<number, { id: string, document: string | null }>} */
    info: new Map(),
  };

  // ---- what the page decides (kept with setState) ----
  const saved = vscode.getState() || {};
  // which collection this page shows: kept in the state, so the panel opens again after a window reload
  const restore = JSON.parse(/** @type {HTMLElement} */ (document.getElementById('restore')).textContent || 'null');
  vscode.setState({ ...saved, restore });
  const view = { cx: 0, cy: 0, scale: 1, fitted: false };
  /** @type {Uint8Array | null} */
  let selected = null;
  let nSelected = 0;
  let hoverIndex = -1;
  let focusIndex = -1;
  /** keyboard cursor, in CSS pixels; null when the map is not focused */
  /** @type {{ x: number, y: number } | null} */
  let cursor = null;
  let lastDrawn = 0;

  function saveState() {
    const selection = [];
    if (selected && nSelected <= 50_000) {
      for (let i = 0; i < selected.length; i++) {
        if (selected[i]) {
          selection.push(i);
        }
      }
    }
    vscode.setState({ view: view.fitted ? { cx: view.cx, cy: view.cy, scale: view.scale } : null, n: data.n, method: data.method, selection, scrollY: window.scrollY, restore });
  }
  let saveTimer = 0;
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = window.setTimeout(saveState, 200);
  };

  // ---- colours, from the theme ----
  const probe = /** @type {CanvasRenderingContext2D} */ (document.createElement('canvas').getContext('2d', { willReadFrequently: true }));
  /** @param {string} css @returns {[number, number, number]} */
  function rgb(css) {
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = '#808080';
    probe.fillStyle = css.trim() || '#808080';
    probe.fillRect(0, 0, 1, 1);
    const d = probe.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2]];
  }
  const cssVar = (/** @type {string} */ name, /** @type {string} */ fallback) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  /** @param {[number, number, number]} c little-endian RGBA as one 32-bit word */
  const pack = (c) => ((255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0;
  /** @param {[number, number, number]} a @param {[number, number, number]} b @param {number} t @returns {[number, number, number]} */
  const mix = (a, b, t) => [Math.round(a[0] * (1 - t) + b[0] * t), Math.round(a[1] * (1 - t) + b[1] * t), Math.round(a[2] * (1 - t) + b[2] * t)];
  const CATEGORY = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#8cd17d', '#d37295'];
  const SEQUENTIAL = ['#3b4cc0', '#6f92f3', '#aac7fd', '#f7b89c', '#e7745b', '#b40426'];
  const theme = {
    bg: /** @type {[number, number, number]} */ ([0, 0, 0]),
    fg: /** @type {[number, number, number]} */ ([255, 255, 255]),
    plain: '#4e79a7',
    focus: '#007fd4',
    hit: '#f28e2b',
    query: '#e15759',
  };
  function readTheme() {
    theme.bg = rgb(cssVar('--vscode-editor-background', '#1e1e1e'));
    theme.fg = rgb(cssVar('--vscode-foreground', '#cccccc'));
    theme.plain = cssVar('--vscode-charts-blue', '#4e79a7');
    theme.focus = cssVar('--vscode-focusBorder', '#007fd4');
    theme.hit = cssVar('--vscode-charts-orange', '#f28e2b');
    theme.query = cssVar('--vscode-charts-red', '#e15759');
  }
  /** The CSS colour of legend entry i. */
  function legendColor(/** @type {number} */ i) {
    if (data.scale === 'sequential') {
      const k = data.legend.length;
      return SEQUENTIAL[k <= 1 ? 0 : Math.round((i * (SEQUENTIAL.length - 1)) / (k - 1))];
    }
    return CATEGORY[i % CATEGORY.length];
  }
  const missingColor = () => {
    const c = mix(theme.bg, theme.fg, 0.35);
    return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  };

  // ---- header: title, sample, progress, error ----
  function renderInit(/** @type {any} */ m) {
    $('title').textContent = m.title;
    document.title = `Overview: ${m.title}`;
    data.canExport = m.canExport;
    data.sampleSize = m.sampleSize;
    renderScanned();
    $('exportSelection').title = m.canExport ? 'Export the selected records' : 'Export is not available: the ids are copied instead';
    const list = $('factList');
    list.replaceChildren();
    for (const f of m.facts) {
      list.append(el('dt', '', f.label));
      const dd = el('dd');
      dd.append(f.block ? el('pre', '', f.value) : document.createTextNode(f.value));
      list.append(dd);
    }
  }

  function renderScanned() {
    const s = data.scanned;
    const p = $('sample');
    p.replaceChildren();
    const scanAll = $('scanAll');
    if (!s) {
      p.textContent = data.sampleSize > 0 ? `Reading the collection (up to ${fmt(data.sampleSize)} records)…` : 'Reading the collection…';
      scanAll.hidden = true;
      return;
    }
    if (s.sampled) {
      p.append('Sample of ', el('strong', '', fmt(s.read)), ' of ', el('strong', '', fmt(s.total)), ' records, spread evenly over the collection. Facets, health and map describe this sample.');
      scanAll.hidden = false;
      scanAll.textContent = `Scan all ${fmt(s.total)}`;
    } else {
      p.append('All ', el('strong', '', fmt(s.read)), ` record${s.read === 1 ? '' : 's'} read.`);
      scanAll.hidden = true;
    }
    if (s.read !== s.total && !s.sampled) {
      p.append(` (The collection counts ${fmt(s.total)}.)`);
    }
  }

  function renderProgress(/** @type {any} */ m) {
    data.busy = m.phase !== 'done';
    const box = $('progress');
    box.hidden = !data.busy && !m.text;
    /** @type {HTMLElement} */ (box.querySelector('.bar')).hidden = !data.busy;
    $('progressFill').style.width = `${Math.round(m.fraction * 100)}%`;
    $('progressText').textContent = m.text;
    $('cancel').hidden = !(data.busy && m.cancellable);
    for (const id of ['scanAll', 'rescan', 'pca', 'umap']) {
      /** @type {HTMLButtonElement} */ ($(id)).disabled = data.busy;
    }
    if (data.busy) {
      $('error').hidden = true;
    }
  }

  function renderError(/** @type {string} */ text) {
    const e = $('error');
    e.textContent = text;
    e.hidden = !text;
  }

  // ---- facets ----
  function renderFacets() {
    const list = $('facetList');
    list.replaceChildren();
    const records = data.scanned ? data.scanned.read : 0;
    if (data.facets.length === 0) {
      list.append(el('p', 'muted', data.scanned ? 'No record has metadata.' : 'Counting…'));
    }
    data.facets.forEach((f, fi) => {
      const card = el('article', 'facet');
      card.append(el('h3', '', f.key));
      const types = Object.entries(f.types).filter(([, c]) => c > 0);
      const meta = el('p', 'meta', `${fmt(f.present)} of ${fmt(records)} records (${pct(f.present, records)}) · `);
      meta.append(types.length > 1 ? el('span', 'warn', `mixed: ${types.map(([t, c]) => `${t} ${fmt(c)}`).join(', ')}`) : document.createTextNode(types.map(([t]) => t).join('') || '—'));
      meta.append(` · ${f.capped ? 'over ' : ''}${fmt(f.distinct)} distinct value${f.distinct === 1 ? '' : 's'}`);
      card.append(meta);
      const values = el('ul', 'values');
      f.top.forEach((/** @type {{ label: string, count: number }} */ t, /** @type {number} */ vi) => {
        const li = el('li');
        const b = /** @type {HTMLButtonElement} */ (el('button', 'link', t.label));
        b.type = 'button';
        b.title = `Filter records where ${f.key} is ${t.label}`;
        b.setAttribute('aria-label', `Filter records where ${f.key} is ${t.label} (${fmt(t.count)} records)`);
        b.addEventListener('click', () => post({ type: 'filter', facet: fi, value: vi }));
        const meter = el('div', 'meter');
        const fill = el('div');
        fill.style.width = `${f.present > 0 ? (t.count / f.present) * 100 : 0}%`;
        meter.append(fill);
        li.append(b, el('span', 'count', fmt(t.count)), meter);
        values.append(li);
      });
      card.append(values);
      if (f.histogram && f.histogram.bins.length > 0) {
        const h = f.histogram;
        const peak = Math.max(1, ...h.bins);
        const bars = el('div', 'histogram');
        bars.setAttribute('role', 'img');
        bars.setAttribute('aria-label', `Histogram of ${f.key} from ${h.min} to ${h.max}`);
        const width = (h.max - h.min) / h.bins.length;
        h.bins.forEach((/** @type {number} */ c, /** @type {number} */ i) => {
          const bar = el('div');
          bar.style.height = `${(c / peak) * 100}%`;
          bar.title = `${num(h.min + i * width)} – ${num(h.min + (i + 1) * width)}: ${fmt(c)}`;
          bars.append(bar);
        });
        const axis = el('div', 'histAxis');
        axis.append(el('span', '', num(h.min)), el('span', '', num(h.max)));
        card.append(bars, axis);
      }
      list.append(card);
    });
    renderColorOptions();
    reportSoon();
  }
  const num = (/** @type {number} */ x) => (Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : String(Number(x.toPrecision(4))));

  function renderColorOptions() {
    colorSelect.replaceChildren();
    const none = /** @type {HTMLOptionElement} */ (el('option', '', 'nothing'));
    none.value = '-1';
    colorSelect.append(none);
    data.facets.forEach((f, i) => {
      const o = /** @type {HTMLOptionElement} */ (el('option', '', f.key));
      o.value = String(i);
      colorSelect.append(o);
    });
    const at = data.colorKey === null ? -1 : data.facets.findIndex((f) => f.key === data.colorKey);
    colorSelect.value = String(at);
  }

  // ---- health ----
  function renderHealth() {
    const list = $('findingList');
    list.replaceChildren();
    if (!data.findings) {
      list.append(el('li', 'muted', 'Checking…'));
      return;
    }
    if (data.findings.length === 0) {
      const li = el('li', 'finding ok');
      li.append(el('strong', '', 'No problems found'), el('div', 'muted', `in the ${fmt(data.scanned ? data.scanned.read : 0)} records read.`));
      list.append(li);
    }
    data.findings.forEach((f, fi) => {
      const li = el('li', 'finding');
      const head = el('div', 'head');
      head.append(el('strong', '', f.title), el('span', 'badge', fmt(f.count)));
      li.append(head);
      if (f.detail) {
        li.append(el('div', 'muted', f.detail));
      }
      if (f.examples.length > 0) {
        const ex = el('div', 'examples');
        ex.append(el('span', 'muted', f.examples.length < f.count ? `e.g.` : 'ids:'));
        f.examples.forEach((/** @type {string} */ id, /** @type {number} */ ei) => {
          const b = /** @type {HTMLButtonElement} */ (el('button', 'link', id));
          b.type = 'button';
          b.title = 'Open this record';
          b.setAttribute('aria-label', `Open record ${id}`);
          b.addEventListener('click', () => post({ type: 'openExample', finding: fi, example: ei }));
          ex.append(b);
        });
        li.append(ex);
      }
      list.append(li);
    });
    reportSoon();
  }

  // ---- the map: data ----
  const bounds = { minX: 0, maxX: 1, minY: 0, maxY: 1 };
  const grid = { g: 1, minX: 0, minY: 0, cw: 1, ch: 1, starts: new Uint32Array(2), items: new Uint32Array(0) };

  /** @param {string} b64 */
  function bytesOf(b64) {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      out[i] = s.charCodeAt(i);
    }
    return out;
  }

  function receivePoints(/** @type {any} */ m) {
    if (m.offset === 0 || !data.coords || data.n !== m.n || data.method !== m.method) {
      data.n = m.n;
      data.method = m.method;
      data.coords = new Float32Array(m.n * 2);
      data.got = 0;
      data.complete = false;
      data.info.clear();
      view.fitted = false;
    }
    const bytes = bytesOf(m.coords);
    const chunk = new Float32Array(bytes.buffer, 0, Math.floor(bytes.length / 4));
    if (m.offset * 2 + chunk.length > data.coords.length) {
      return;
    }
    data.coords.set(chunk, m.offset * 2);
    data.got += chunk.length / 2;
    renderMethod();
    if (data.got >= data.n) {
      pointsComplete();
    }
  }

  function pointsComplete() {
    const n = data.n;
    const c = /** @type {Float32Array} */ (data.coords);
    data.complete = true;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = c[2 * i];
      const y = c[2 * i + 1];
      if (Number.isFinite(x) && Number.isFinite(y)) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    if (minX > maxX) {
      minX = minY = 0;
      maxX = maxY = 1;
    }
    Object.assign(bounds, { minX, maxX, minY, maxY });
    buildGrid();
    if (!selected || selected.length !== n) {
      selected = new Uint8Array(n);
      nSelected = 0;
    }
    // the view and selection kept from before the page was reloaded, if they are about these points
    if (saved.n === n && saved.method === data.method) {
      if (saved.view) {
        Object.assign(view, saved.view, { fitted: true });
      }
      for (const i of saved.selection || []) {
        if (i >= 0 && i < n && !selected[i]) {
          selected[i] = 1;
          nSelected++;
        }
      }
      saved.view = null;
      saved.selection = null;
    }
    if (!view.fitted) {
      fitView(false);
    }
    const empty = $('mapEmpty');
    empty.hidden = n > 0;
    empty.textContent = n > 0 ? '' : data.scanned && data.scanned.dim === 0 ? 'These records have no embeddings to map.' : 'No points to map.';
    renderSelection();
    dirty = true;
    scheduleDraw();
  }

  function buildGrid() {
    const n = data.n;
    const c = /** @type {Float32Array} */ (data.coords);
    const g = Math.max(1, Math.min(256, Math.ceil(Math.sqrt(n / 8))));
    const cw = (bounds.maxX - bounds.minX) / g || 1;
    const ch = (bounds.maxY - bounds.minY) / g || 1;
    const cellOf = (/** @type {number} */ i) => {
      const gx = Math.min(g - 1, Math.max(0, Math.floor((c[2 * i] - bounds.minX) / cw)));
      const gy = Math.min(g - 1, Math.max(0, Math.floor((c[2 * i + 1] - bounds.minY) / ch)));
      return gy * g + gx;
    };
    const starts = new Uint32Array(g * g + 1);
    const valid = (/** @type {number} */ i) => Number.isFinite(c[2 * i]) && Number.isFinite(c[2 * i + 1]);
    for (let i = 0; i < n; i++) {
      if (valid(i)) {
        starts[cellOf(i) + 1]++;
      }
    }
    for (let k = 0; k < g * g; k++) {
      starts[k + 1] += starts[k];
    }
    const fill = starts.slice(0, g * g);
    const items = new Uint32Array(starts[g * g]);
    for (let i = 0; i < n; i++) {
      if (valid(i)) {
        items[fill[cellOf(i)]++] = i;
      }
    }
    Object.assign(grid, { g, minX: bounds.minX, minY: bounds.minY, cw, ch, starts, items });
  }

  // ---- the map: view ----
  const cssSize = () => ({ w: canvas.clientWidth || 1, h: canvas.clientHeight || 1 });
  /**
   * Fits the view to the points: centred on their bulk and filled with it, a few far outliers (a heading among
   * near-identical chunks, unnormalised or broken vectors) left outside and counted; `all` fits every point. The
   * framing is src/overview/core/framing.ts, loaded before this script as `overviewFraming`.
   */
  function fitView(/** @type {boolean} */ all) {
    const { w, h } = cssSize();
    const frame = data.coords ? framing.frameMap(data.coords, data.n, w, h, all) : framing.frameMap(new Float32Array(0), 0, w, h, all);
    view.cx = frame.cx;
    view.cy = frame.cy;
    view.scale = frame.scale;
    view.fitted = true;
    const outside = frame.outside;
    const note = $('outliers');
    note.hidden = outside === 0;
    $('outliersText').textContent = outside > 0 ? `${fmt(outside)} outlying point${outside === 1 ? ' is' : 's are'} outside this view.` : '';
  }

  const toScreen = (/** @type {number} */ x, /** @type {number} */ y) => {
    const { w, h } = cssSize();
    return { x: w / 2 + (x - view.cx) * view.scale, y: h / 2 - (y - view.cy) * view.scale };
  };
  const toData = (/** @type {number} */ sx, /** @type {number} */ sy) => {
    const { w, h } = cssSize();
    return { x: view.cx + (sx - w / 2) / view.scale, y: view.cy - (sy - h / 2) / view.scale };
  };
  function zoomAt(/** @type {number} */ sx, /** @type {number} */ sy, /** @type {number} */ factor) {
    const before = toData(sx, sy);
    view.scale = Math.min(1e9, Math.max(1e-9, view.scale * factor));
    const after = toData(sx, sy);
    view.cx += before.x - after.x;
    view.cy += before.y - after.y;
    dirty = true;
    scheduleDraw();
    saveSoon();
  }
  function pan(/** @type {number} */ dx, /** @type {number} */ dy) {
    view.cx -= dx / view.scale;
    view.cy += dy / view.scale;
    dirty = true;
    scheduleDraw();
    saveSoon();
  }

  /** The point nearest to a screen position, within `radius` CSS pixels; -1 when none. */
  function nearest(/** @type {number} */ sx, /** @type {number} */ sy, /** @type {number} */ radius) {
    if (!data.complete || data.n === 0) {
      return -1;
    }
    const c = /** @type {Float32Array} */ (data.coords);
    const p = toData(sx, sy);
    const r = radius / view.scale;
    const g = grid.g;
    const x0 = Math.max(0, Math.floor((p.x - r - grid.minX) / grid.cw));
    const x1 = Math.min(g - 1, Math.floor((p.x + r - grid.minX) / grid.cw));
    const y0 = Math.max(0, Math.floor((p.y - r - grid.minY) / grid.ch));
    const y1 = Math.min(g - 1, Math.floor((p.y + r - grid.minY) / grid.ch));
    let best = -1;
    let bestD = r * r;
    for (let gy = y0; gy <= y1; gy++) {
      for (let gx = x0; gx <= x1; gx++) {
        const cell = gy * g + gx;
        for (let k = grid.starts[cell]; k < grid.starts[cell + 1]; k++) {
          const i = grid.items[k];
          const dx = c[2 * i] - p.x;
          const dy = c[2 * i + 1] - p.y;
          const d = dx * dx + dy * dy;
          if (d <= bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }

  // ---- the map: drawing ----
  let dirty = true;
  let frame = 0;
  /** @type {ImageData | null} */
  let pixels = null;
  /** @type {{ x0: number, y0: number, x1: number, y1: number } | null} */
  let box = null;

  function scheduleDraw() {
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        draw();
      });
    }
  }

  function resizeCanvas() {
    const dpr = window.devicePixelRatio || 1;
    const { w, h } = cssSize();
    const W = Math.max(1, Math.round(w * dpr));
    const H = Math.max(1, Math.round(h * dpr));
    if (canvas.width !== W || canvas.height !== H) {
      canvas.width = W;
      canvas.height = H;
      dirty = true;
    }
  }

  function paintPoints() {
    const W = canvas.width;
    const H = canvas.height;
    if (!pixels || pixels.width !== W || pixels.height !== H) {
      pixels = ctx.createImageData(W, H);
    }
    const buf = new Uint32Array(pixels.data.buffer);
    buf.fill(pack(theme.bg));
    const n = data.n;
    const c = data.coords;
    if (!c || !data.complete) {
      lastDrawn = 0;
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    const { w, h } = cssSize();
    const k = view.scale * dpr;
    const ox = (w / 2) * dpr - view.cx * k;
    const oy = (h / 2) * dpr + view.cy * k;
    const size = Math.max(1, Math.round((n <= 5_000 ? 4 : n <= 30_000 ? 3 : 2) * dpr));
    const half = size >> 1;
    const anySelected = nSelected > 0;
    // palette: colour per code, and a dimmed one for points outside a selection
    const codes = data.codes && data.codes.length === n ? data.codes : null;
    const base = codes ? data.legend.map((_, i) => rgb(legendColor(i))) : [];
    const plain = rgb(theme.plain);
    const none = rgb(missingColor());
    const fade = (/** @type {[number, number, number]} */ col) => (anySelected ? mix(col, theme.bg, 0.7) : col);
    const colors = new Uint32Array(256).fill(pack(fade(codes ? none : plain)));
    base.forEach((col, i) => (colors[i] = pack(fade(col))));
    const full = new Uint32Array(256).fill(pack(codes ? none : plain));
    base.forEach((col, i) => (full[i] = pack(col)));
    const ring = pack(rgb(theme.focus));

    /** @param {number} px @param {number} py @param {number} s @param {number} color */
    const square = (px, py, s, color) => {
      const x0 = Math.max(0, px);
      const y0 = Math.max(0, py);
      const x1 = Math.min(W, px + s);
      const y1 = Math.min(H, py + s);
      for (let y = y0; y < y1; y++) {
        buf.fill(color, y * W + x0, y * W + x1);
      }
    };
    let drawn = 0;
    for (let pass = 0; pass < (anySelected ? 2 : 1); pass++) {
      for (let i = 0; i < n; i++) {
        if (anySelected && (pass === 0) === Boolean(/** @type {Uint8Array} */ (selected)[i])) {
          continue;
        }
        const px = Math.round(c[2 * i] * k + ox) - half;
        const py = Math.round(oy - c[2 * i + 1] * k) - half;
        if (!(px > -size - 2 && py > -size - 2 && px < W + 1 && py < H + 1)) {
          continue;
        }
        drawn++;
        const code = codes ? codes[i] : 255;
        if (pass === 1) {
          square(px - 1, py - 1, size + 2, ring);
          square(px, py, size, full[code]);
        } else if (px >= 0 && py >= 0 && px + size <= W && py + size <= H) {
          // the common case, written inline: 100,000 points in a few milliseconds
          const color = colors[code];
          for (let row = py * W + px, end = row + size * W; row < end; row += W) {
            for (let x = row; x < row + size; x++) {
              buf[x] = color;
            }
          }
        } else {
          square(px, py, size, colors[code]);
        }
      }
    }
    lastDrawn = drawn;
  }

  function draw() {
    resizeCanvas();
    if (dirty) {
      paintPoints();
      dirty = false;
      reportSoon();
    }
    if (pixels) {
      ctx.putImageData(pixels, 0, 0);
    }
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.scale(dpr, dpr);
    drawOverlay();
    ctx.restore();
  }

  function drawOverlay() {
    const c = data.coords;
    if (c && data.complete) {
      // the last query's hits: rings; the query itself: a diamond
      ctx.lineWidth = 2;
      ctx.strokeStyle = theme.hit;
      for (const i of data.hits) {
        if (i < data.n) {
          const p = toScreen(c[2 * i], c[2 * i + 1]);
          ctx.beginPath();
          ctx.arc(p.x, p.y, 6, 0, Math.PI * 2);
          ctx.stroke();
        }
      }
      if (data.query) {
        const p = toScreen(data.query[0], data.query[1]);
        ctx.fillStyle = theme.query;
        ctx.strokeStyle = `rgb(${theme.bg.join(',')})`;
        ctx.beginPath();
        ctx.moveTo(p.x, p.y - 9);
        ctx.lineTo(p.x + 9, p.y);
        ctx.lineTo(p.x, p.y + 9);
        ctx.lineTo(p.x - 9, p.y);
        ctx.closePath();
        ctx.fill();
        ctx.stroke();
      }
      for (const i of [hoverIndex, focusIndex]) {
        if (i >= 0 && i < data.n) {
          const p = toScreen(c[2 * i], c[2 * i + 1]);
          ctx.strokeStyle = `rgb(${theme.fg.join(',')})`;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.arc(p.x, p.y, 7, 0, Math.PI * 2);
          ctx.stroke();
        }
      }
    }
    if (cursor) {
      ctx.strokeStyle = theme.focus;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(cursor.x - 10, cursor.y);
      ctx.lineTo(cursor.x + 10, cursor.y);
      ctx.moveTo(cursor.x, cursor.y - 10);
      ctx.lineTo(cursor.x, cursor.y + 10);
      ctx.stroke();
    }
    if (box) {
      ctx.strokeStyle = theme.focus;
      ctx.fillStyle = theme.focus;
      ctx.globalAlpha = 0.12;
      ctx.fillRect(Math.min(box.x0, box.x1), Math.min(box.y0, box.y1), Math.abs(box.x1 - box.x0), Math.abs(box.y1 - box.y0));
      ctx.globalAlpha = 1;
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(Math.min(box.x0, box.x1), Math.min(box.y0, box.y1), Math.abs(box.x1 - box.x0), Math.abs(box.y1 - box.y0));
      ctx.setLineDash([]);
    }
  }

  // ---- the map: legend, highlight, method, selection ----
  function renderLegend() {
    const ul = $('legend');
    ul.replaceChildren();
    if (data.colorKey === null) {
      return;
    }
    const item = (/** @type {string} */ color, /** @type {string} */ label, /** @type {number} */ count) => {
      const li = el('li');
      const sw = el('span', 'swatch');
      sw.style.background = color;
      li.append(sw, el('span', '', label), el('span', 'muted', fmt(count)));
      ul.append(li);
    };
    data.legend.forEach((e, i) => item(legendColor(i), e.label, e.count));
    if (data.missing > 0) {
      item(missingColor(), `no ${data.colorKey}`, data.missing);
    }
  }

  function renderHighlight(/** @type {any} */ m) {
    const p = $('highlight');
    p.replaceChildren();
    p.hidden = !m.label;
    if (m.label) {
      const sw = el('span', 'swatch');
      sw.style.background = theme.hit;
      p.append(sw, m.label);
      if (m.missing > 0) {
        p.append(` (${fmt(m.missing)} of them are not in the records read)`);
      }
      if (!m.query) {
        p.append('. Re-project to place the query itself.');
      }
    }
  }

  function renderMethod() {
    $('pca').setAttribute('aria-pressed', String(data.method === 'pca'));
    $('umap').setAttribute('aria-pressed', String(data.method === 'umap'));
  }

  function renderSelection() {
    const has = nSelected > 0;
    for (const id of ['clearSelection', 'copyIds', 'exportSelection']) {
      /** @type {HTMLButtonElement} */ ($(id)).disabled = !has;
    }
    $('selectionText').textContent = has ? `${fmt(nSelected)} point${nSelected === 1 ? '' : 's'} selected` : '';
  }

  const selectedIndices = () => {
    const out = [];
    if (selected) {
      for (let i = 0; i < selected.length; i++) {
        if (selected[i]) {
          out.push(i);
        }
      }
    }
    return out;
  };

  /** Selects the points inside a screen rectangle (adding to the selection when `add`). */
  function selectBox(/** @type {number} */ x0, /** @type {number} */ y0, /** @type {number} */ x1, /** @type {number} */ y1, /** @type {boolean} */ add) {
    if (!selected || !data.coords) {
      return;
    }
    const a = toData(Math.min(x0, x1), Math.max(y0, y1));
    const b = toData(Math.max(x0, x1), Math.min(y0, y1));
    if (!add) {
      selected.fill(0);
    }
    const c = data.coords;
    for (let i = 0; i < data.n; i++) {
      const x = c[2 * i];
      const y = c[2 * i + 1];
      if (x >= a.x && x <= b.x && y >= a.y && y <= b.y) {
        selected[i] = 1;
      }
    }
    nSelected = selected.reduce((s, v) => s + v, 0);
    renderSelection();
    dirty = true;
    scheduleDraw();
    saveSoon();
  }

  function clearSelection() {
    if (selected) {
      selected.fill(0);
    }
    nSelected = 0;
    renderSelection();
    dirty = true;
    scheduleDraw();
    saveSoon();
  }

  // ---- the map: a point's id and document ----
  /** @type {Map<number, Array<() => void>>} */
  const waiting = new Map();

  /** Shows a point's id and document (asked from the extension once) in the tooltip and/or the details. */
  function showPoint(/** @type {number} */ i, /** @type {{ x: number, y: number } | null} */ at, /** @type {boolean} */ inDetails) {
    const info = data.info.get(i);
    if (!info) {
      if (!waiting.has(i)) {
        waiting.set(i, []);
        post({ type: 'pointInfo', index: i });
      }
      /** @type {Array<() => void>} */ (waiting.get(i)).push(() => showPoint(i, at, inDetails));
      if (at) {
        placeTooltip(at, [el('div', 'muted', 'Loading…')]);
      }
      return;
    }
    const parts = () => {
      const id = el('div', 'id', info.id);
      const doc = el('div', 'doc', info.document === null ? '(no document)' : info.document || '(empty document)');
      return [id, doc];
    };
    if (at) {
      placeTooltip(at, parts());
    }
    if (inDetails) {
      details.replaceChildren(...parts());
      const open = /** @type {HTMLButtonElement} */ (el('button', 'secondary', 'Open record'));
      open.type = 'button';
      open.addEventListener('click', () => post({ type: 'openPoint', index: i }));
      details.append(open);
    }
  }

  function placeTooltip(/** @type {{ x: number, y: number }} */ at, /** @type {HTMLElement[]} */ children) {
    tooltip.replaceChildren(...children);
    tooltip.hidden = false;
    const { w, h } = cssSize();
    const tw = tooltip.offsetWidth;
    const th = tooltip.offsetHeight;
    tooltip.style.left = `${Math.max(4, Math.min(w - tw - 4, at.x + 14))}px`;
    tooltip.style.top = `${at.y + 14 + th > h ? Math.max(4, at.y - th - 10) : at.y + 14}px`;
  }

  function receiveInfo(/** @type {any} */ m) {
    if (data.info.size > 2_000) {
      data.info.clear();
    }
    data.info.set(m.index, { id: m.id, document: m.document });
    const then = waiting.get(m.index) || [];
    waiting.delete(m.index);
    then.forEach((f) => f());
  }

  // ---- the map: mouse and keyboard ----
  /** @type {{ x: number, y: number, mode: 'pan' | 'select', moved: boolean, add: boolean, lastX: number, lastY: number } | null} */
  let drag = null;
  const local = (/** @type {MouseEvent} */ e) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) {
      return;
    }
    const p = local(e);
    drag = { x: p.x, y: p.y, lastX: p.x, lastY: p.y, mode: e.shiftKey ? 'select' : 'pan', moved: false, add: e.ctrlKey || e.metaKey };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    const p = local(e);
    if (drag) {
      if (Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) > 4) {
        drag.moved = true;
      }
      if (drag.mode === 'pan' && drag.moved) {
        canvas.classList.add('panning');
        pan(p.x - drag.lastX, p.y - drag.lastY);
        tooltip.hidden = true;
      } else if (drag.mode === 'select') {
        box = { x0: drag.x, y0: drag.y, x1: p.x, y1: p.y };
        scheduleDraw();
      }
      drag.lastX = p.x;
      drag.lastY = p.y;
      return;
    }
    const i = nearest(p.x, p.y, 8);
    if (i !== hoverIndex) {
      hoverIndex = i;
      scheduleDraw();
    }
    if (i >= 0) {
      showPoint(i, p, false);
    } else {
      tooltip.hidden = true;
    }
  });
  canvas.addEventListener('pointerup', (e) => {
    const d = drag;
    drag = null;
    canvas.classList.remove('panning');
    if (!d) {
      return;
    }
    const p = local(e);
    if (d.mode === 'select' && d.moved) {
      box = null;
      selectBox(d.x, d.y, p.x, p.y, d.add);
    } else if (!d.moved) {
      const i = nearest(p.x, p.y, 8);
      if (i >= 0) {
        focusIndex = i;
        showPoint(i, null, true);
        post({ type: 'openPoint', index: i });
      }
    }
    box = null;
    scheduleDraw();
  });
  canvas.addEventListener('pointerleave', () => {
    if (!drag) {
      hoverIndex = -1;
      tooltip.hidden = true;
      scheduleDraw();
    }
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const p = local(e);
      zoomAt(p.x, p.y, Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)));
    },
    { passive: false },
  );

  canvas.addEventListener('focus', () => {
    if (!cursor) {
      const { w, h } = cssSize();
      cursor = { x: w / 2, y: h / 2 };
      moveCursor(0, 0);
    }
  });
  canvas.addEventListener('blur', () => {
    cursor = null;
    tooltip.hidden = true;
    scheduleDraw();
  });

  function moveCursor(/** @type {number} */ dx, /** @type {number} */ dy) {
    if (!cursor) {
      return;
    }
    const { w, h } = cssSize();
    const nx = cursor.x + dx;
    const ny = cursor.y + dy;
    // at an edge the map moves instead of the cursor
    if (nx < 8 || nx > w - 8 || ny < 8 || ny > h - 8) {
      pan(-dx, -dy);
    } else {
      cursor = { x: nx, y: ny };
    }
    const i = nearest(cursor.x, cursor.y, 24);
    focusIndex = i;
    if (i >= 0) {
      showPoint(i, cursor, true);
    } else {
      tooltip.hidden = true;
    }
    scheduleDraw();
  }

  canvas.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 48 : 12;
    const keys = /** @type {Record<string, () => void>} */ ({
      ArrowLeft: () => moveCursor(-step, 0),
      ArrowRight: () => moveCursor(step, 0),
      ArrowUp: () => moveCursor(0, -step),
      ArrowDown: () => moveCursor(0, step),
      '+': () => cursor && zoomAt(cursor.x, cursor.y, 1.25),
      '=': () => cursor && zoomAt(cursor.x, cursor.y, 1.25),
      '-': () => cursor && zoomAt(cursor.x, cursor.y, 0.8),
      0: () => resetView(false),
      Enter: () => focusIndex >= 0 && post({ type: 'openPoint', index: focusIndex }),
      ' ': () => {
        if (focusIndex >= 0 && selected) {
          selected[focusIndex] = selected[focusIndex] ? 0 : 1;
          nSelected += selected[focusIndex] ? 1 : -1;
          renderSelection();
          dirty = true;
          scheduleDraw();
          saveSoon();
        }
      },
      Escape: () => clearSelection(),
    });
    const act = keys[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  });

  function resetView(/** @type {boolean} */ all = false) {
    fitView(all);
    dirty = true;
    scheduleDraw();
    saveSoon();
  }

  // ---- toolbar ----
  $('scanAll').addEventListener('click', () => post({ type: 'scanAll' }));
  $('rescan').addEventListener('click', () => post({ type: 'rescan' }));
  $('cancel').addEventListener('click', () => post({ type: 'cancel' }));
  $('pca').addEventListener('click', () => data.method !== 'pca' && post({ type: 'project', method: 'pca' }));
  $('umap').addEventListener('click', () => data.method !== 'umap' && post({ type: 'project', method: 'umap' }));
  $('resetView').addEventListener('click', () => resetView(false));
  $('showAll').addEventListener('click', () => resetView(true));
  $('selectVisible').addEventListener('click', () => {
    const { w, h } = cssSize();
    selectBox(0, 0, w, h, false);
  });
  $('clearSelection').addEventListener('click', clearSelection);
  $('copyIds').addEventListener('click', () => post({ type: 'copyIds', indices: selectedIndices() }));
  $('exportSelection').addEventListener('click', () => post({ type: 'exportSelection', indices: selectedIndices() }));
  colorSelect.addEventListener('change', () => post({ type: 'colorBy', facet: Number(colorSelect.value) }));

  // ---- what the page shows, reported to the extension ----
  let reportTimer = 0;
  function reportSoon() {
    clearTimeout(reportTimer);
    reportTimer = window.setTimeout(() => {
      post({
        type: 'status',
        records: data.scanned ? data.scanned.total : 0,
        facets: $('facetList').querySelectorAll('.facet').length,
        findings: $('findingList').querySelectorAll('.finding:not(.ok)').length,
        points: data.complete ? lastDrawn : 0,
      });
    }, 50);
  }

  /** For tests: whether anything that is not the page's own ran or was added, and the text it shows. */
  function probeReport() {
    // our schema, and the script VS Code puts into every webview (acquireVsCodeApi)
    const ours = new Set(['schema', 'restore', '_vscodeApiScript']);
    let foreign = 0;
    document.querySelectorAll('script').forEach((s) => {
      const src = s.getAttribute('src') || '';
      if (!ours.has(s.id) && !/\/(overviewCheck|overviewFraming|overview)\.js$/.test(src)) {
        foreign++;
      }
    });
    foreign += document.querySelectorAll('img, iframe, object, embed, svg, link:not([rel="stylesheet"])').length;
    document.querySelectorAll('*').forEach((e) => {
      for (const a of Array.from(e.attributes)) {
        if (/^on/i.test(a.name)) {
          foreign++;
        }
      }
    });
    post({ type: 'probeReport', pwned: Boolean(/** @type {any} */ (window).__pwned), foreign, text: document.body.innerText.slice(0, 200_000) });
  }

  function handleProbe(/** @type {number | null} */ point) {
    if (point === null || point >= data.n) {
      probeReport();
      return;
    }
    focusIndex = point;
    showPoint(point, null, true);
    const done = () => {
      scheduleDraw();
      probeReport();
    };
    if (data.info.has(point)) {
      done();
    } else {
      const list = waiting.get(point);
      if (list) {
        list.push(done);
      }
    }
  }

  // ---- messages from the extension ----
  window.addEventListener('message', (event) => {
    const m = checker.validate(shapes, event.data);
    if (!m) {
      return;
    }
    switch (m.type) {
      case 'init':
        renderInit(m);
        break;
      case 'progress':
        renderProgress(m);
        break;
      case 'scanned':
        // read again: a selection was about the records before (a fresh page gets its first scan here)
        if (data.scanned) {
          selected = null;
          nSelected = 0;
          renderSelection();
        }
        data.scanned = m;
        renderScanned();
        if (!data.findings) {
          renderHealth();
        }
        reportSoon();
        break;
      case 'facets':
        data.facets = m.facets;
        renderFacets();
        break;
      case 'health':
        data.findings = m.findings;
        renderHealth();
        break;
      case 'points':
        receivePoints(m);
        break;
      case 'colors':
        data.codes = bytesOf(m.codes);
        data.legend = m.legend;
        data.scale = m.scale;
        data.colorKey = m.key;
        data.missing = m.missing;
        renderLegend();
        renderColorOptions();
        dirty = true;
        scheduleDraw();
        break;
      case 'highlight':
        data.hits = m.hits;
        data.query = m.query;
        renderHighlight(m);
        scheduleDraw();
        break;
      case 'pointInfo':
        receiveInfo(m);
        break;
      case 'error':
        renderError(m.text);
        break;
      case 'reveal':
        if (m.section === 'map') {
          $('map').scrollIntoView({ block: 'start' });
          canvas.focus();
        } else {
          window.scrollTo(0, 0);
        }
        break;
      case 'probe':
        handleProbe(m.point);
        break;
    }
  });

  readTheme();
  new MutationObserver(() => {
    readTheme();
    renderLegend();
    dirty = true;
    scheduleDraw();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  new ResizeObserver(() => {
    dirty = true;
    scheduleDraw();
  }).observe(wrap);
  // jumps to a section land below the sticky header
  const header = /** @type {HTMLElement} */ (document.querySelector('header'));
  new ResizeObserver(() => (document.documentElement.style.scrollPaddingTop = `${header.offsetHeight + 8}px`)).observe(header);
  window.addEventListener('scroll', saveSoon, { passive: true });
  renderHealth();
  renderFacets();
  if (typeof saved.scrollY === 'number') {
    requestAnimationFrame(() => window.scrollTo(0, saved.scrollY));
  }
  post({ type: 'ready' });
})();
