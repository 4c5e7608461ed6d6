/** The overview panel's webview type: the main bundle registers its serializer, the features bundle makes panels. */
export const OVERVIEW_VIEW_TYPE = 'chroma.collectionOverview';
