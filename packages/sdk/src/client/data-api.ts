import { BadRequestError } from './errors.js';
import { encodePath } from './path.js';
import type { Transport } from './transport.js';
import type {
  ChunkAnswer,
  CommitBody,
  CommitResult,
  Correction,
  CorrectionAnswer,
  CreateSubmissionBody,
  DataStats,
  ObjectionBody,
  ProblemItem,
  ProblemPage,
  ProblemQuery,
  QualityScore,
  StoredRow,
  Submission,
  SubmissionQuery,
  Ticket,
  TicketQuery,
} from './data-types.js';

/** Content type of a chunk: gzip of UTF-8 JSON Lines `[rowNumber, v1, …, vn]`. */
export const CHUNK_CONTENT_TYPE = 'application/vnd.minjiang.rows+gzip';

/** Times a chunk is sent again when the hub finds its checksum wrong (corrupted in transit). */
const CHECKSUM_RETRIES = 3;

/** A chunk as prepared for upload. */
export interface ChunkUpload {
  seq: number;
  /** The gzip body, sent as it is. */
  body: Uint8Array;
  /** SM3 hex of `body`. */
  sm3: string;
  rows: number;
}

/** How long a commit may take: an hour covers tens of millions of rows. */
export const COMMIT_TIMEOUT_MS = 60 * 60 * 1000;

export interface WriteOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

function write(options: WriteOptions) {
  return {
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/**
 * The data aggregation, problem-data and quality routes of docs/data-api.md, as
 * `client.data.*`. Retries, idempotency keys and typed errors come from the transport; lists
 * page with `for await`.
 */
export class DataApi {
  constructor(private readonly transport: Transport) {}

  private async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return (await this.transport.request<T>({ method: 'GET', path, query })).data;
  }

  private async post<T>(path: string, body: unknown, options: WriteOptions = {}): Promise<T> {
    return (await this.transport.request<T>({ method: 'POST', path, body, ...write(options) })).data;
  }

  /** Pages through a list route: `{ items, next? }` with `?cursor=`. */
  private async *pages<T>(
    path: string,
    query: Record<string, string | number | undefined>,
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const page = await this.get<{ items: T[]; next?: string | null }>(path, { ...query, cursor });
      yield* page.items;
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
  }

  // Submissions

  /** Opens a submission for one of the caller's published resources. */
  async createSubmission(body: CreateSubmissionBody, options: WriteOptions = {}): Promise<Submission> {
    return this.post<Submission>('/api/v1/submissions', body, options);
  }

  /**
   * Uploads one chunk. A chunk PUT is idempotent (the same seq and SM3 answer `stored: false`),
   * so it is retried on connection errors and 5xx, and sent again when the hub finds the body's
   * checksum wrong (corrupted in transit).
   */
  async uploadChunk(
    submission: string,
    chunk: ChunkUpload,
    options: { signal?: AbortSignal } = {},
  ): Promise<ChunkAnswer> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const { data } = await this.transport.request<ChunkAnswer>({
          method: 'PUT',
          path: encodePath`/api/v1/submissions/${submission}/chunks/${chunk.seq}`,
          body: chunk.body,
          headers: {
            'content-type': CHUNK_CONTENT_TYPE,
            'x-minjiang-sm3': chunk.sm3,
            'x-minjiang-rows': String(chunk.rows),
          },
          idempotencyKey: `${submission}.${chunk.seq}.${chunk.sm3.slice(0, 16)}`,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        return data;
      } catch (error) {
        const corrupted = error instanceof BadRequestError && error.code === 'HUB_ERR_CHUNK_CHECKSUM';
        if (!corrupted || attempt >= CHECKSUM_RETRIES) throw error;
      }
    }
  }

  async getSubmission(id: string): Promise<Submission> {
    return this.get<Submission>(encodePath`/api/v1/submissions/${id}`);
  }

  /** Submissions, newest first: `for await (const s of client.data.listSubmissions({ resource }))`. */
  listSubmissions(query: SubmissionQuery = {}): AsyncGenerator<Submission> {
    return this.pages<Submission>('/api/v1/submissions', { ...query });
  }

  /**
   * Commits chunks 1…N (all or nothing); committing again answers the same result. The hub
   * validates and stores every row inside the request, so it may take minutes for millions of
   * rows: the call waits up to `COMMIT_TIMEOUT_MS` instead of the client's usual timeout.
   */
  async commitSubmission(id: string, body: CommitBody, options: WriteOptions = {}): Promise<CommitResult> {
    const path = encodePath`/api/v1/submissions/${id}/commit`;
    const request = { method: 'POST' as const, path, body, timeout: COMMIT_TIMEOUT_MS, ...write(options) };
    return (await this.transport.request<CommitResult>(request)).data;
  }

  /** Open → cancelled; the chunks are dropped. */
  async cancelSubmission(id: string, options: WriteOptions = {}): Promise<Submission> {
    return this.post<Submission>(encodePath`/api/v1/submissions/${id}/cancel`, {}, options);
  }

  // Stored rows

  /** The stored rows of a resource, in key order. */
  listRows(resource: string, query: { limit?: number } = {}): AsyncGenerator<StoredRow> {
    return this.pages<StoredRow>(encodePath`/api/v1/resources/${resource}/data`, { ...query });
  }

  /** Row count, flagged rows and the SM3 digest of what is stored (a receipt's `dataDigest`). */
  async dataStats(resource: string): Promise<DataStats> {
    return this.get<DataStats>(encodePath`/api/v1/resources/${resource}/data/stats`);
  }

  // Problem tickets

  listTickets(query: TicketQuery = {}): AsyncGenerator<Ticket> {
    return this.pages<Ticket>('/api/v1/tickets', { ...query });
  }

  /** One ticket, with its history. */
  async getTicket(id: string): Promise<Ticket> {
    return this.get<Ticket>(encodePath`/api/v1/tickets/${id}`);
  }

  /** One page of a ticket's problem records, with the item names of the rows. */
  async getProblemPage(ticket: string, query: ProblemQuery = {}): Promise<ProblemPage> {
    return this.get<ProblemPage>(encodePath`/api/v1/tickets/${ticket}/problems`, { ...query });
  }

  /** Every problem record of a ticket, page after page. */
  async *listProblems(ticket: string, query: Omit<ProblemQuery, 'cursor'> = {}): AsyncGenerator<ProblemItem> {
    let cursor: string | undefined;
    do {
      const page = await this.getProblemPage(ticket, { ...query, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
  }

  /** A problem record as the standards document `governance/problem-record-1.0`. */
  async getProblem(id: string): Promise<Record<string, unknown>> {
    return this.get<Record<string, unknown>>(encodePath`/api/v1/problems/${id}`);
  }

  /** open → acknowledged (the responsible organisation's officer). */
  async acknowledgeTicket(id: string, options: WriteOptions = {}): Promise<Ticket> {
    return this.post<Ticket>(encodePath`/api/v1/tickets/${id}/acknowledge`, {}, options);
  }

  /** open | acknowledged → disputed, with a reason. */
  async disputeTicket(id: string, reason: string, options: WriteOptions = {}): Promise<Ticket> {
    return this.post<Ticket>(encodePath`/api/v1/tickets/${id}/dispute`, { reason }, options);
  }

  /** Sends corrected values; the hub re-validates each row and closes the ticket when none is open. */
  async submitCorrections(
    ticket: string,
    corrections: Correction[],
    options: WriteOptions = {},
  ): Promise<CorrectionAnswer> {
    return this.post<CorrectionAnswer>(
      encodePath`/api/v1/tickets/${ticket}/corrections`,
      { corrections },
      options,
    );
  }

  /** 异议 against a stored row of another organisation's resource: a ticket of kind `objection`. */
  async raiseObjection(resource: string, body: ObjectionBody, options: WriteOptions = {}): Promise<Ticket> {
    return this.post<Ticket>(encodePath`/api/v1/resources/${resource}/data/objections`, body, options);
  }

  // Quality

  async resourceQuality(code: string): Promise<QualityScore> {
    return this.get<QualityScore>(encodePath`/api/v1/quality/resources/${code}`);
  }

  async organisationQuality(id: string): Promise<QualityScore> {
    return this.get<QualityScore>(encodePath`/api/v1/quality/organisations/${id}`);
  }
}
