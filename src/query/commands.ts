/**
 * The ways to query (Query Collection…, Search Chroma for Selection, Find Similar Records, Query by Vector…, and
 * `chroma.runQuerySpec` for playground files: `runCommands.ts`) and what the results view does (Go to Source, Open
 * Record, Copy Results as JSON, Re-run, Filter, Number of Results, Run in Another Collection, History, Clear:
 * `resultsCommands.ts`). Every way ends in the workbench's one query path.
 */
import type * as vscode from 'vscode';
import type { Filter } from '../filter/core/filter';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import {
  copyResultsCommand,
  entriesOf,
  filterResultsCommand,
  goToSource,
  hitOf,
  openHit,
  queryHistoryCommand,
  rerun,
  rerunInCollectionCommand,
  setResultCountCommand,
} from './resultsCommands';
import { findSimilarCommand, queryByVectorCommand, queryCollectionCommand, runQuerySpecCommand, searchSelectionCommand } from './runCommands';
import type { QueryWorkbench } from './workbench';

export type { SourceJump } from './resultsCommands';

export function registerQueryCommands(log: Logger, wb: QueryWorkbench): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.queryCollection, (arg?: unknown, text?: unknown) => queryCollectionCommand(wb, arg, text)),
    registerCommand(log, Commands.searchSelection, (arg?: unknown) => searchSelectionCommand(wb, arg)),
    registerCommand(log, Commands.findSimilar, (arg?: unknown) => findSimilarCommand(wb, arg)),
    registerCommand(log, Commands.queryByVector, (arg?: unknown, vector?: unknown) => queryByVectorCommand(wb, arg, vector)),
    registerCommand(log, Commands.runQuerySpec, (arg?: unknown) => runQuerySpecCommand(wb, arg)),
    registerCommand(log, Commands.goToSource, (arg?: unknown) => goToSource(wb, hitOf(wb, arg))),
    registerCommand(log, Commands.openResultRecord, (arg?: unknown) => openHit(hitOf(wb, arg))),
    registerCommand(log, Commands.copyResults, () => copyResultsCommand(wb)),
    registerCommand(log, Commands.rerunQuery, (arg?: unknown) => rerun(wb, entriesOf(wb, arg))),
    registerCommand(log, Commands.filterResults, (arg?: unknown, filter?: Filter) => filterResultsCommand(wb, arg, filter)),
    registerCommand(log, Commands.setResultCount, (arg?: unknown, count?: number) => setResultCountCommand(wb, arg, count)),
    registerCommand(log, Commands.rerunInCollection, (arg?: unknown) => rerunInCollectionCommand(wb, arg)),
    registerCommand(log, Commands.queryHistory, () => queryHistoryCommand(wb)),
    registerCommand(log, Commands.clearResults, () => wb.view.clear()),
  ];
}
