/**
 * `submitDataFile`: a data file into the hub as one submission — create, upload numbered gzip
 * chunks with SM3 checksums a few at a time, commit, verify the signed receipt with the pinned
 * hub key. Resumable: the state file is written before the first chunk, and a resume sends only
 * the chunks the hub does not have.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { sm3Hex } from '@minjiang/standards';
import { pinHubKey } from '../../catalog/state/hub-key.js';
import { CatalogStateStore, STATE_DIR } from '../../catalog/state/store.js';
import { checkReceipt, RECEIPT_FORMAT } from '../../catalog/state/receipts.js';
import { STATE_FORMAT, type CatalogState } from '../../catalog/state/types.js';
import type { HubClient } from '../../client/hub-client.js';
import type { CommitResult, Submission, SubmissionMode } from '../../client/data-types.js';
import { readDataRows, type DataFormat, type DataRowSource } from '../data-rows.js';
import {
  chunkDataRows,
  DEFAULT_CHUNK_ROWS,
  DEFAULT_GZIP_LEVEL,
  encodeChunk,
  type EncodedChunk,
} from './chunks.js';
import { SubmitError } from './errors.js';
import {
  checkSameFile,
  fileIdentity,
  readSubmissionState,
  SUBMISSION_STATE_FORMAT,
  submissionStatePath,
  writeSubmissionState,
  type SubmissionState,
} from './state.js';

/** Chunks in flight at once: enough to hide the round trip, few enough to keep memory flat. */
export const DEFAULT_CONCURRENCY = 4;

export interface SubmitProgress {
  phase: 'create' | 'upload' | 'commit' | 'verify';
  submission?: string;
  /** Rows read from the file so far. */
  rows: number;
  /** Chunks the hub holds (uploaded now or before a resume). */
  chunks: number;
  /** Chunks skipped because the hub already had them (resume). */
  skipped: number;
  /** Compressed bytes sent. */
  bytes: number;
}

export interface SubmitOptions {
  resource: string;
  mode?: SubmissionMode;
  chunkRows?: number;
  /** Resume this submission instead of creating one. */
  resume?: string;
  /** CSV encoding; detected when absent. */
  encoding?: string;
  /** File format; taken from the extension when absent. */
  format?: DataFormat;
  /** The `.minjiang` folder: default next to the data file. */
  stateDir?: string;
  concurrency?: number;
  gzipLevel?: number;
  onProgress?: (progress: SubmitProgress) => void;
  /** Called once the submission exists (and its state file is written): the id to resume with. */
  onSubmission?: (submission: Submission, statePath: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface ReceiptCheck {
  verified: boolean;
  problems: string[];
  keyId: string;
  pinned: 'new' | 'match';
  /** Where it was saved, relative to the `.minjiang` folder. */
  saved: string;
}

export interface SubmitResult {
  submission: string;
  resumed: boolean;
  file: string;
  chunks: { total: number; uploaded: number; skipped: number; bytes: number; rawBytes: number };
  result: CommitResult;
  receipt: ReceiptCheck;
  statePath: string;
}

interface Run {
  client: HubClient;
  options: SubmitOptions;
  stateDir: string;
  progress: SubmitProgress;
  rawBytes: number;
  uploaded: number;
  chunkSums: Map<number, string>;
}

function emit(run: Run, patch: Partial<SubmitProgress>): void {
  Object.assign(run.progress, patch);
  run.options.onProgress?.({ ...run.progress });
}

/** Sends encoded chunks with at most `limit` in flight; the first failure stops the rest. */
class Uploads {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;

  constructor(
    private readonly limit: number,
    private readonly send: (chunk: EncodedChunk) => Promise<void>,
  ) {}

  /** Throws the first upload failure, if any (read afresh: it is set by other uploads). */
  private rethrow(): void {
    const failure = this.failure;
    if (failure !== undefined) throw failure;
  }

  async add(chunk: EncodedChunk): Promise<void> {
    this.rethrow();
    const promise = this.send(chunk).then(
      () => void this.inFlight.delete(promise),
      (error: unknown) => {
        this.inFlight.delete(promise);
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      },
    );
    this.inFlight.add(promise);
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    this.rethrow();
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.rethrow();
  }
}

async function openSubmission(
  run: Run,
  path: string,
  source: DataRowSource,
): Promise<{ submission: Submission; state: SubmissionState; statePath: string; resumed: boolean }> {
  const { client, options } = run;
  const identity = await fileIdentity(path);
  if (options.resume) {
    const state = await readSubmissionState(run.stateDir, options.resume);
    const statePath = submissionStatePath(run.stateDir, state.id);
    checkSameFile(state, identity, statePath);
    const submission = await client.data.getSubmission(state.id);
    if (submission.status === 'cancelled') {
      throw new SubmitError('SUBMIT-NOT-OPEN', `提交 ${state.id} 已取消，不能续传`, {
        location: statePath,
        hint: '请重新提交该文件。',
      });
    }
    if (submission.header.join('\u0000') !== source.header.join('\u0000')) {
      throw new SubmitError('SUBMIT-FILE-CHANGED', `文件表头与提交 ${state.id} 的表头不同`, {
        location: statePath,
        hint: '续传只能用开始上传时的同一文件。',
      });
    }
    return { submission, state, statePath, resumed: true };
  }
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const submission = await client.data.createSubmission({
    resource: options.resource,
    mode: options.mode ?? 'incremental',
    header: source.header,
    fileName: basename(path),
    chunkRows,
  });
  const state: SubmissionState = {
    format: SUBMISSION_STATE_FORMAT,
    id: submission.id,
    hub: client.transport.options.baseURL,
    resource: submission.resource,
    mode: submission.mode,
    ...identity,
    chunkRows,
    gzipLevel: options.gzipLevel ?? DEFAULT_GZIP_LEVEL,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    createdAt: (options.now?.() ?? new Date()).toISOString(),
  };
  const statePath = await writeSubmissionState(run.stateDir, state);
  return { submission, state, statePath, resumed: false };
}

/** Reads, cuts, encodes and sends every chunk the hub does not have yet. */
async function uploadChunks(
  run: Run,
  id: string,
  source: DataRowSource,
  state: SubmissionState,
  have: Set<number>,
) {
  const { client, options } = run;
  const uploads = new Uploads(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY), async (chunk) => {
    await client.data.uploadChunk(id, chunk, options.signal ? { signal: options.signal } : {});
    run.uploaded += 1;
    emit(run, { chunks: run.progress.chunks + 1, bytes: run.progress.bytes + chunk.body.byteLength });
  });
  let total = 0;
  const level = state.gzipLevel ?? DEFAULT_GZIP_LEVEL;
  for await (const raw of chunkDataRows(source.rows, state.chunkRows)) {
    total = raw.seq;
    const chunk = await encodeChunk(raw, level);
    if (have.has(raw.seq)) {
      // Encoded only for its checksum: the receipt's chunksDigest covers every chunk.
      run.chunkSums.set(chunk.seq, chunk.sm3);
      emit(run, { rows: run.progress.rows + raw.rows.length, skipped: run.progress.skipped + 1 });
      continue;
    }
    run.rawBytes += chunk.rawBytes;
    run.chunkSums.set(chunk.seq, chunk.sm3);
    emit(run, { rows: run.progress.rows + chunk.rows });
    await uploads.add(chunk);
  }
  await uploads.drain();
  return { total, rows: run.progress.rows };
}

/** The hub key pinned in `<stateDir>/hubs/<hub>/state.json`, shared with `catalog apply`. */
async function pinnedKey(client: HubClient, stateDir: string, now: Date) {
  const store = new CatalogStateStore(stateDir, client.transport.options.baseURL);
  const state: CatalogState = (await store.readState()) ?? {
    format: STATE_FORMAT,
    hub: { baseURL: client.transport.options.baseURL },
    updatedAt: now.toISOString(),
    resources: {},
  };
  const { key, pinned } = await pinHubKey(client, state, store.statePath, now);
  if (pinned === 'new') await store.writeState(state);
  return { store, key, pinned };
}

/** What the receipt must say beyond its signature: this submission, these counts, this digest. */
function receiptProblems(result: CommitResult, chunkSums: Map<number, string>, total: number): string[] {
  const payload = result.receipt?.payload as unknown as Record<string, unknown> | undefined;
  if (!payload) return [];
  const problems: string[] = [];
  const expect: Record<string, unknown> = {
    kind: 'data.commit',
    submission: result.submission,
    resource: result.resource,
    mode: result.mode,
    rows: result.rows,
    accepted: result.accepted,
    rejected: result.rejected,
    deleted: result.deleted,
    chunksDigest: result.chunksDigest,
  };
  for (const [field, value] of Object.entries(expect))
    if (payload[field] !== value)
      problems.push(`回执的 ${field} 为 ${String(payload[field])}，应答为 ${String(value)}`);
  // Every chunk was encoded here: the receipt must bind exactly these bytes.
  if (chunkSums.size === total && total > 0 && typeof payload.chunksDigest === 'string') {
    const sums = Array.from({ length: total }, (_, index) => chunkSums.get(index + 1) ?? '');
    if (payload.chunksDigest !== chunksDigest(sums))
      problems.push('回执的 chunksDigest 与本次上传的数据块校验值不符');
  }
  return problems;
}

/** SM3 over the chunks' SM3 hex values, in order (the receipt's `chunksDigest`). */
export function chunksDigest(sums: readonly string[]): string {
  return sm3Hex(sums.join(''));
}

async function verify(run: Run, result: CommitResult, total: number, now: Date): Promise<ReceiptCheck> {
  const { client } = run;
  const { store, key, pinned } = await pinnedKey(client, run.stateDir, now);
  const version = await client.version();
  const problems = [
    ...checkReceipt(result.receipt, key, version.hub.code, []),
    ...receiptProblems(result, run.chunkSums, total),
  ];
  const saved = await store.saveReceipt(
    {
      format: RECEIPT_FORMAT,
      kind: 'data.commit',
      hub: { baseURL: client.transport.options.baseURL, code: version.hub.code },
      savedAt: now.toISOString(),
      expected: [],
      verified: problems.length === 0,
      ...(problems.length > 0 ? { problems } : {}),
      receipt: result.receipt,
    },
    `data-${result.resource}`,
  );
  return { verified: problems.length === 0, problems, keyId: key.keyId, pinned, saved };
}

/**
 * Submits a data file (CSV in UTF-8/GBK/GB18030, JSON Lines, xlsx) for a resource. Rows stream
 * from the file; at most `concurrency` encoded chunks are held at once, so memory stays flat.
 * Throws `SubmitError` when a resume is refused and when the receipt does not verify (after the
 * receipt is saved); hub errors come as the client's typed errors.
 */
export async function submitDataFile(
  client: HubClient,
  path: string,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const now = options.now ?? (() => new Date());
  const stateDir = resolve(options.stateDir ?? join(dirname(resolve(path)), STATE_DIR));
  const run: Run = {
    client,
    options,
    stateDir,
    progress: { phase: 'create', rows: 0, chunks: 0, skipped: 0, bytes: 0 },
    rawBytes: 0,
    uploaded: 0,
    chunkSums: new Map(),
  };
  const source = await readDataRows(path, {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.format ? { format: options.format } : {}),
  });
  let opened: Awaited<ReturnType<typeof openSubmission>>;
  try {
    opened = await openSubmission(run, path, source);
  } catch (error) {
    source.close();
    throw error;
  }
  const { submission, state, statePath, resumed } = opened;
  options.onSubmission?.(submission, statePath);
  let result: CommitResult;
  let total: number;
  if (submission.status === 'committed') {
    // Interrupted after the commit: the hub's answer stands (committing again answers the same).
    source.close();
    total = submission.chunks.count;
    result =
      submission.result ??
      (await client.data.commitSubmission(
        submission.id,
        { chunks: total },
        { idempotencyKey: `${submission.id}.commit` },
      ));
  } else {
    const have = new Set(submission.chunks.seqs);
    emit(run, { phase: 'upload', submission: submission.id, chunks: have.size });
    const sent = await uploadChunks(run, submission.id, source, state, have);
    total = sent.total;
    emit(run, { phase: 'commit' });
    result = await client.data.commitSubmission(
      submission.id,
      { chunks: total, rows: sent.rows },
      { idempotencyKey: `${submission.id}.commit` },
    );
  }
  emit(run, { phase: 'verify' });
  const receipt = await verify(run, result, total, now());
  await writeSubmissionState(stateDir, {
    ...state,
    committedAt: result.committedAt,
    receipt: receipt.saved,
  });
  if (!receipt.verified) {
    throw new SubmitError(
      'SUBMIT-RECEIPT-INVALID',
      `提交 ${result.submission} 的回执未通过验证：${receipt.problems.join('；')}`,
      {
        location: join(stateDir, receipt.saved),
        hint: '数据可能已被枢纽接收，但回执无法证明。请联系枢纽管理员核实枢纽公钥与应答。',
      },
    );
  }
  return {
    submission: submission.id,
    resumed,
    file: state.file,
    chunks: {
      total,
      uploaded: run.uploaded,
      skipped: run.progress.skipped,
      bytes: run.progress.bytes,
      rawBytes: run.rawBytes,
    },
    result,
    receipt,
    statePath,
  };
}
