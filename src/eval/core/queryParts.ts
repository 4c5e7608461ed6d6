/**
 * What evaluation takes from the query workbench and the filter code, in one place: those folders are being
 * reorganised, so only this file names their paths. Each is a pure function the workbench uses the same way.
 * No `vscode` here.
 */
export { checkFilter } from '../../filter/core/check';
export { describeFilter } from '../../filter/core/describe';
export { explainFilterError } from '../../filter/core/explain';
export { describeLink, sourceLinkOf } from '../../query/core/sourceLink';
export { MAX_N_RESULTS, MAX_TEXT, vectorProblem } from '../../query/core/specInput';
