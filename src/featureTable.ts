/**
 * Every feature, and when it loads: the one place that says which code activation runs.
 * - 'activation': registered by activate() in src/extension.ts, in the first bundle (dist/main.js). Only what the
 *   window shows at once: the tree, the status item, the record file system (an editor restored with a `chroma:`
 *   record needs it), the Local data node and the telemetry CodeLens. What of them activation does not run (the
 *   local servers, the embedding service, the pickers, …) is a chunk required on first use (esbuild.mjs CHUNKS).
 * - 'first use': in the second bundle (src/features.ts → dist/features.js), loaded by src/lazyFeatures.ts when one of
 *   its commands first runs (a stub holds each command id until then), when a playground file opens, or when VS Code
 *   restores an overview panel.
 * Both roots build a Record over these names, so a feature missing from either side does not compile.
 */
export const FEATURES = {
  explorer: 'activation',
  status: 'activation',
  records: 'activation',
  telemetryLens: 'activation',
  local: 'activation',
  connections: 'first use',
  embedding: 'first use',
  filter: 'first use',
  collections: 'first use',
  query: 'first use',
  playground: 'first use',
  ingest: 'first use',
  transfer: 'first use',
  overview: 'first use',
  telemetry: 'first use',
  evaluation: 'first use',
  agents: 'first use',
} as const;

type Table = typeof FEATURES;
export type MainFeature = { [K in keyof Table]: Table[K] extends 'activation' ? K : never }[keyof Table];
export type LazyFeature = { [K in keyof Table]: Table[K] extends 'first use' ? K : never }[keyof Table];

const namesOf = <K extends keyof Table>(loads: Table[K]) => (Object.keys(FEATURES) as K[]).filter((k) => FEATURES[k] === loads);

/** The features activation registers, in the table's order. */
export const mainFeatureNames = (): MainFeature[] => namesOf<MainFeature>('activation');
/** The features the second bundle registers, in the table's order. */
export const lazyFeatureNames = (): LazyFeature[] => namesOf<LazyFeature>('first use');
