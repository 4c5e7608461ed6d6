/**
 * What the record editors run once a record is opened, saved or checked: the JSON file's rendering and parsing
 * (recordFile.ts) and the read and save against the server (save.ts, with the metadata validation). A chunk of its
 * own (esbuild.mjs CHUNKS), required on first use through ../lazyRecordCode.ts: activation only registers the file
 * system. No `vscode` here.
 */
export { embeddingHoverText, parseRecordFile, recordHash, renderNewRecordFile, renderRecordFile } from './recordFile';
export { addRecord, findCollection, metadataChecks, readRecord, recordGone, RecordConflictError, RecordGoneError, RecordRefusedError, saveRecord } from './save';
