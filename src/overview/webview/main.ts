/**
 * The Collection Overview page: facts, facets, health findings and the embedding map, drawn from the messages the
 * extension sends, each checked against the protocol's shapes first (the host's own checker, bundled in). Server
 * text only ever reaches the page through textContent and attributes, never as HTML. What the page itself decides
 * (zoom, selection, scroll) is kept in the webview state, so hiding and showing the panel, which reloads the page,
 * keeps it. esbuild.mjs bundles this file and what it imports into media/overview/overview.js, which the page's
 * HTML (src/overview/html.ts) loads with its nonce.
 */
import type { FacetView, FindingView, ToWebview } from '../core/protocol';
import { byId } from './dom';
import { renderColorOptions, renderFacets } from './facets';
import { renderError, renderInit, renderProgress, renderScanned } from './header';
import type { Scanned } from './header';
import { renderHealth } from './health';
import { Host, fromHost } from './host';
import type { FromHost } from './host';
import { StateKeeper, keptStateOf } from './keptState';
import { PointDetails } from './map/details';
import { EmbeddingMap } from './map/embeddingMap';
import { attachMapInput } from './map/input';
import { renderHighlight } from './map/legend';
import { StatusReporter, probeReport } from './report';
import { Theme } from './theme';

class OverviewPage {
  private readonly host = new Host();
  private readonly theme = new Theme();
  private readonly kept = keptStateOf(this.host.state);
  private readonly keeper: StateKeeper;
  private readonly reporter: StatusReporter;
  private readonly map: EmbeddingMap;
  private readonly details: PointDetails;
  private readonly colorSelect = byId<HTMLSelectElement>('colorBy');
  private scanned: Scanned | null = null;
  private facets: FacetView[] = [];
  private findings: FindingView[] | null = null;
  private sampleSize = 0;

  constructor() {
    const restore: unknown = JSON.parse(byId('restore').textContent || 'null');
    this.keeper = new StateKeeper(this.host, restore, () => this.map.snapshot());
    this.reporter = new StatusReporter(this.host, () => ({
      records: this.scanned ? this.scanned.total : 0,
      points: this.map.points.complete ? this.map.canvas.drawn : 0,
    }));
    const canvas = byId<HTMLCanvasElement>('canvas');
    this.map = new EmbeddingMap(canvas, this.theme, this.kept, {
      changed: () => this.keeper.soon(),
      painted: () => this.reporter.soon(),
      restarted: () => this.details.forget(),
    }, () => (this.scanned ? this.scanned.dim : null));
    this.details = new PointDetails(this.host, byId('tooltip'), byId('details'), () => this.map.size());
  }

  start(): void {
    attachMapInput(this.map, this.details, this.host);
    this.attachToolbar();
    window.addEventListener('message', (event) => {
      const m = fromHost(event.data);
      if (m) {
        this.receive(m);
      }
    });
    this.observe();
    this.showHealth();
    this.showFacets();
    const scrollY = this.kept.scrollY;
    if (scrollY !== null) {
      requestAnimationFrame(() => window.scrollTo(0, scrollY));
    }
    this.host.post({ type: 'ready' });
  }

  private attachToolbar(): void {
    const post = this.host.post.bind(this.host);
    const onClick = (id: string, act: () => void) => byId(id).addEventListener('click', act);
    onClick('scanAll', () => post({ type: 'scanAll' }));
    onClick('rescan', () => post({ type: 'rescan' }));
    onClick('cancel', () => post({ type: 'cancel' }));
    onClick('pca', () => this.map.method !== 'pca' && post({ type: 'project', method: 'pca' }));
    onClick('umap', () => this.map.method !== 'umap' && post({ type: 'project', method: 'umap' }));
    onClick('resetView', () => this.map.resetView(false));
    onClick('showAll', () => this.map.resetView(true));
    onClick('selectVisible', () => this.map.selectVisible());
    onClick('clearSelection', () => this.map.clearSelection());
    onClick('copyIds', () => post({ type: 'copyIds', indices: this.map.selection.indices() }));
    onClick('exportSelection', () => post({ type: 'exportSelection', indices: this.map.selection.indices() }));
    this.colorSelect.addEventListener('change', () => post({ type: 'colorBy', facet: Number(this.colorSelect.value) }));
  }

  /** The theme (the body's class changes with it), the map's size, the sticky header's height, scrolling. */
  private observe(): void {
    new MutationObserver(() => {
      this.theme.read();
      this.map.themeChanged();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    new ResizeObserver(() => this.map.canvas.invalidate()).observe(byId('canvasWrap'));
    // jumps to a section land below the sticky header
    const header = document.querySelector('header');
    if (header) {
      new ResizeObserver(() => (document.documentElement.style.scrollPaddingTop = `${header.offsetHeight + 8}px`)).observe(header);
    }
    window.addEventListener('scroll', () => this.keeper.soon(), { passive: true });
  }

  private receive(m: ToWebview): void {
    switch (m.type) {
      case 'init':
        this.sampleSize = m.sampleSize;
        renderInit(m);
        renderScanned(this.scanned, this.sampleSize);
        break;
      case 'progress':
        renderProgress(m);
        break;
      case 'scanned':
        this.receiveScanned(m);
        break;
      case 'facets':
        this.facets = m.facets;
        this.showFacets();
        break;
      case 'health':
        this.findings = m.findings;
        this.showHealth();
        break;
      case 'points':
        this.map.receivePoints(m);
        break;
      case 'colors':
        this.map.setColors(m);
        renderColorOptions(this.colorSelect, this.facets, this.map.coloring.key);
        break;
      case 'highlight':
        this.map.setHighlight(m);
        renderHighlight(m, this.theme);
        break;
      case 'pointInfo':
        this.details.receive(m);
        break;
      case 'error':
        renderError(m.text);
        break;
      case 'reveal':
        this.reveal(m.section);
        break;
      case 'probe':
        this.probe(m.point);
        break;
    }
  }

  private receiveScanned(m: FromHost<'scanned'>): void {
    // read again: a selection was about the records before (a fresh page gets its first scan here)
    if (this.scanned) {
      this.map.dropSelection();
    }
    this.scanned = m;
    renderScanned(m, this.sampleSize);
    if (!this.findings) {
      this.showHealth();
    }
    this.reporter.soon();
  }

  private showFacets(): void {
    renderFacets(this.facets, this.scanned ? this.scanned.read : null, (facet, value) => this.host.post({ type: 'filter', facet, value }));
    renderColorOptions(this.colorSelect, this.facets, this.map.coloring.key);
    this.reporter.soon();
  }

  private showHealth(): void {
    renderHealth(this.findings, this.scanned ? this.scanned.read : 0, (finding, example) => this.host.post({ type: 'openExample', finding, example }));
    if (this.findings) {
      this.reporter.soon();
    }
  }

  private reveal(section: FromHost<'reveal'>['section']): void {
    if (section === 'map') {
      byId('map').scrollIntoView({ block: 'start' });
      this.map.canvas.canvas.focus();
    } else {
      window.scrollTo(0, 0);
    }
  }

  /** For tests: shows point `point` in the details first (when given), then reports what the page shows. */
  private probe(point: number | null): void {
    if (point === null || point >= this.map.points.n) {
      probeReport(this.host);
      return;
    }
    this.map.focus = point;
    this.details.show(point, null, true);
    this.details.whenKnown(point, () => {
      this.map.canvas.redraw();
      probeReport(this.host);
    });
  }
}

new OverviewPage().start();
