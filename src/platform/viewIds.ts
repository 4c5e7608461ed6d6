/**
 * The ids package.json declares for views and webview panels, as commandIds.ts holds the command ids: in one place
 * that both bundles import, so that activation can create a view (or restore a panel) without loading the feature
 * that fills it.
 */
export const EXPLORER_VIEW_ID = 'chromaExplorer';
/** The Chroma Results view; the query workbench fills it. */
export const RESULTS_VIEW_ID = 'chromaResults';
/** The overview panel's webview type: the main bundle registers its serializer, the features bundle makes panels. */
export const OVERVIEW_VIEW_TYPE = 'chroma.collectionOverview';
