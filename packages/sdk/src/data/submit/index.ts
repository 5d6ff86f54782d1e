/** Submitting data files to the hub: chunks, resumable state, the upload engine. */
export {
  submitDataFile,
  chunksDigest,
  DEFAULT_CONCURRENCY,
  type SubmitOptions,
  type SubmitProgress,
  type SubmitResult,
  type ReceiptCheck,
} from './submit.js';
export {
  chunkDataRows,
  chunkText,
  encodeChunk,
  DEFAULT_CHUNK_ROWS,
  DEFAULT_GZIP_LEVEL,
  type RawChunk,
  type EncodedChunk,
} from './chunks.js';
export {
  readSubmissionState,
  writeSubmissionState,
  submissionStatePath,
  checkSameFile,
  fileIdentity,
  SUBMISSION_STATE_FORMAT,
  type SubmissionState,
  type FileIdentity,
} from './state.js';
export { SubmitError } from './errors.js';
