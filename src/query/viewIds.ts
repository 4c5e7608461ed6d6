/** The results view's id, apart so that activation can create the view without loading the query workbench. */
export const RESULTS_VIEW_ID = 'chromaResults';
