/** Wiring of the Collection Overview (facts, facets, health, embedding map) into the extension. */
import type { Services } from '../services';
import { registerOverviewCommands } from './commands';
import type { OverviewCommands } from './commands';
import type { QueryHighlights } from './mapData';

/**
 * `queries`: where the map finds the last query run on a collection, to highlight its hits and place the query
 * (the composition root hands it over from the query workbench; without it the map shows no query).
 */
export function wireOverview(s: Services, queries?: QueryHighlights): OverviewCommands {
  return registerOverviewCommands({ services: s, log: s.log.for('overview'), queries });
}
