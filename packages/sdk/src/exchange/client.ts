/**
 * The consumer's client of SES-API r1 (docs/exchange-api.md): every call signed with the grant's
 * credential, answers typed, refusals thrown as ExchangeError subclasses.
 */
import type { Lang } from '@minjiang/standards';
import { keepAliveFetch, type OwnedFetch } from '../client/default-fetch.js';
import type { FetchLike } from '../client/transport.js';
import { downloadTo, packagePath } from './download.js';
import { envelopeOf, rateLimitOf, sendExchange, type ExchangeHttpOptions } from './http.js';
import type { ExchangeIdentity } from './signer.js';
import type {
  BuiltPackage,
  DownloadedPackage,
  ExchangeMeta,
  ExchangePage,
  ExchangeQuery,
  ExchangeRow,
  PackageReceipt,
  VerifyAnswer,
  VerifyResult,
  VerifySubject,
} from './types.js';
import type { VerifyPackageFileOptions } from '../package/verify-package-file.js';

export interface ExchangeClientOptions extends ExchangeIdentity {
  baseURL: string;
  /** The grant's target, `<provider>/data/<resource>/v<n>`: needed by query and verify. */
  service?: string | undefined;
  fetch?: FetchLike | undefined;
  /** The signing clock (tests; a machine whose clock is known to be off). */
  now?: (() => Date) | undefined;
  /** Language of the hub's refusal messages. Default zh-CN. */
  lang?: Lang | undefined;
  /** Milliseconds before a try is abandoned. Default 60 s. */
  timeout?: number | undefined;
  /** Retry a 429 after its Retry-After this many times (true: 3). Never 401 or 403. Default 0. */
  retry429?: number | boolean | undefined;
  /** The longest Retry-After to wait, in seconds. Default 60. */
  maxRetryWait?: number | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface DownloadOptions {
  /** SM2 public keys that may sign the package; default the hub key pinned under `stateDir`. */
  publicKeys?: string[];
  /** The folder holding `.minjiang/` with the pinned hub key. Default the working directory. */
  stateDir?: string;
  lang?: Lang;
}

/** The verification endpoint takes at most this many subjects a call. */
export const VERIFY_BATCH = 100;

interface Envelope<T> {
  code: string;
  requestId: string;
  data: T;
  page?: { next?: string; size?: number };
  meta?: ExchangeMeta;
}

export class ExchangeClient {
  readonly baseURL: string;
  readonly grant: string;
  readonly client: string;
  private readonly service: string | undefined;
  private readonly http: ExchangeHttpOptions;
  private readonly owned: OwnedFetch | undefined;

  constructor(options: ExchangeClientOptions) {
    const { baseURL, service, fetch, now, lang, timeout, retry429, maxRetryWait, sleep, ...identity } =
      options;
    if (!identity.appKey || !(identity.secret || identity.privateKey))
      throw new TypeError('ExchangeClient needs the grant credential: appKey and secret (or privateKey)');
    this.baseURL = baseURL.endsWith('/') ? baseURL : `${baseURL}/`;
    this.grant = identity.grant;
    this.client = identity.client;
    this.service = service;
    this.owned = fetch ? undefined : keepAliveFetch();
    this.http = {
      identity,
      fetch: fetch ?? this.owned!.fetch,
      now: now ?? (() => new Date()),
      lang: lang ?? 'zh-CN',
      timeout: timeout ?? 60_000,
      retry429: retry429 === true ? 3 : retry429 === false || retry429 === undefined ? 0 : retry429,
      maxRetryWait: maxRetryWait ?? 60,
      sleep: sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
  }

  /** Closes the default fetch's idle connections. */
  async close(): Promise<void> {
    await this.owned?.close();
  }

  private url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.baseURL);
  }

  private servicePath(action: 'rows' | 'verify'): string {
    if (!this.service)
      throw new TypeError('ExchangeClient needs `service` (the grant’s target) for this call');
    // The service keeps its slashes: it is a path of the hub's, not one segment.
    return `/ses/r1/${this.service.split('/').map(encodeURIComponent).join('/')}/${action}`;
  }

  /** One page of granted, masked rows. */
  async query(query: ExchangeQuery = {}): Promise<ExchangePage> {
    const url = this.url(this.servicePath('rows'));
    for (const [field, value] of Object.entries(query.conditions ?? {}))
      url.searchParams.append(field, value);
    if (query.fields?.length) url.searchParams.set('fields', query.fields.join(','));
    if (query.limit !== undefined) url.searchParams.set('limit', String(query.limit));
    if (query.cursor) url.searchParams.set('cursor', query.cursor);
    const response = await sendExchange({ method: 'GET', url }, this.http);
    const body = await envelopeOf<Envelope<{ rows: ExchangeRow[] }>>(response);
    const masking = response.headers.get('ses-masking') ?? undefined;
    return {
      rows: body.data.rows,
      ...(body.page?.next ? { next: body.page.next } : {}),
      size: body.page?.size ?? body.data.rows.length,
      meta: body.meta as ExchangeMeta,
      requestId: body.requestId,
      ...(masking ? { masking } : {}),
      rateLimit: rateLimitOf(response.headers),
    };
  }

  /** Every page of a query, following the cursor. */
  async *pages(query: ExchangeQuery = {}): AsyncGenerator<ExchangePage> {
    let cursor = query.cursor;
    do {
      const page = await this.query({ ...query, ...(cursor ? { cursor } : {}) });
      yield page;
      cursor = page.next;
    } while (cursor);
  }

  /** Every row of a query: `for await (const row of exchange.rows({ conditions }))`. */
  async *rows(query: ExchangeQuery = {}): AsyncGenerator<ExchangeRow> {
    for await (const page of this.pages(query)) yield* page.rows;
  }

  /** Verdicts for subjects (核验), never values; sent in batches of 100, each counted by the quota. */
  async verify(subjects: VerifySubject[]): Promise<VerifyAnswer> {
    const answer: VerifyAnswer = { results: [], requestIds: [], rateLimit: {} };
    for (let at = 0; at < subjects.length; at += VERIFY_BATCH) {
      const body = JSON.stringify({ subjects: subjects.slice(at, at + VERIFY_BATCH) });
      const url = this.url(this.servicePath('verify'));
      const response = await sendExchange({ method: 'POST', url, body }, this.http);
      const envelope = await envelopeOf<Envelope<{ results: VerifyResult[] }>>(response);
      answer.results.push(...envelope.data.results);
      answer.requestIds.push(envelope.requestId);
      answer.rateLimit = rateLimitOf(response.headers);
    }
    return answer;
  }

  /** Asks the hub to build the package of the grant (PACKAGE grants). */
  async buildPackage(): Promise<BuiltPackage> {
    const response = await sendExchange({ method: 'POST', url: this.url('/ses/r1/packages') }, this.http);
    return (await envelopeOf<Envelope<BuiltPackage>>(response)).data;
  }

  /**
   * Streams a package to `path` (through a temporary file, so a broken transfer leaves nothing
   * there), then verifies it offline. A package that fails verification is kept for inspection
   * and reported in `verification`; only a transfer or a refusal throws.
   */
  async downloadPackage(id: string, path: string, options: DownloadOptions = {}): Promise<DownloadedPackage> {
    const url = this.url(packagePath(id));
    const response = await sendExchange({ method: 'GET', url, accept: 'application/zip' }, this.http);
    const verifyOptions: VerifyPackageFileOptions = {
      publicKeys: options.publicKeys ?? [],
      // The package is bound to this grant and to the member (without a subsystem) holding it.
      expect: { grant: this.grant, recipient: this.client.split('/').slice(0, 3).join('/') },
      ...(options.lang ? { lang: options.lang } : {}),
    };
    return downloadTo(response, {
      id,
      path,
      baseURL: this.baseURL,
      stateDir: options.stateDir,
      verifyOptions,
    });
  }

  /** Confirms receipt of the package whose zip has `digest`: the transfer is then completed. */
  async sendReceipt(id: string, digest: string): Promise<PackageReceipt> {
    const url = this.url(`${packagePath(id)}/receipt`);
    const body = JSON.stringify({ digest });
    const response = await sendExchange({ method: 'POST', url, body }, this.http);
    return (await envelopeOf<Envelope<PackageReceipt>>(response)).data;
  }
}
