import { randomUUID } from 'node:crypto';
import { keepAliveFetch, type OwnedFetch } from './default-fetch.js';
import {
  HubAPIError,
  HubConnectionError,
  HubTimeoutError,
  HubUserAbortError,
  redactHeaders,
  type RedactedRequest,
} from './errors.js';

/**
 * The fetch the client uses; inject one (a proxy-aware fetch, a test double) through the options.
 * Without one, the client uses undici's fetch over a keep-alive Agent of its own.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  baseURL: string;
  token?: string | undefined;
  /** The language of the hub's messages (`Accept-Language`); the hub's default (zh-CN) when absent. */
  lang?: 'zh-CN' | 'en' | undefined;
  fetch?: FetchLike | undefined;
  /** Retries after the first try, for connection errors, timeouts, 408, 429 and 5xx. Default 2. */
  maxRetries?: number | undefined;
  /** Milliseconds before a try is abandoned. Default 60 s. */
  timeout?: number | undefined;
  /** Waits between tries; tests replace it. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON; bytes (a Uint8Array) are sent as they are, with the content type in `headers`. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent on every write; the same key on every retry of one call, so the hub runs it once. */
  idempotencyKey?: string;
  maxRetries?: number;
  /** This call's timeout in ms, when it is not the client's (a commit of millions of rows). */
  timeout?: number;
  signal?: AbortSignal;
}

export interface HubResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

// Not 409: the hub answers 409 for a state conflict (an illegal review step), which a retry cannot fix.
const RETRY_STATUSES = new Set([408, 429]);

/** Back-off before retry `attempt` (1-based): Retry-After when the hub says, else 0.5 s doubling to 8 s, with jitter. */
export function retryDelay(attempt: number, retryAfter: string | null): number {
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, Math.min(date - Date.now(), 60_000));
  }
  const base = Math.min(500 * 2 ** (attempt - 1), 8000);
  return base * (1 - Math.random() * 0.25);
}

function urlOf(baseURL: string, path: string, query: RequestOptions['query']): string {
  const url = new URL(path.replace(/^\//, ''), baseURL.endsWith('/') ? baseURL : `${baseURL}/`);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value));
  return url.toString();
}

function headersOf(response: Response): Record<string, string> {
  return Object.fromEntries(response.headers.entries());
}

/** Sends requests with the token, JSON bodies, timeouts, idempotency keys and the retry policy. */
export class Transport {
  readonly options: Required<Pick<TransportOptions, 'baseURL' | 'maxRetries' | 'timeout'>> & TransportOptions;
  /** The default fetch's connection pool, when no fetch was injected. */
  private readonly owned: OwnedFetch | undefined;

  constructor(options: TransportOptions) {
    if (options.fetch !== undefined && typeof options.fetch !== 'function') {
      throw new TypeError(
        'The `fetch` option must be a function, e.g. a fetch that goes through your proxy.',
      );
    }
    this.owned = options.fetch ? undefined : keepAliveFetch();
    this.options = {
      ...options,
      fetch: options.fetch ?? this.owned?.fetch,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeout ?? 60_000,
    };
  }

  /** Closes the default fetch's idle connections; an injected fetch is the caller's to manage. */
  async close(): Promise<void> {
    await this.owned?.close();
  }

  async request<T>(options: RequestOptions): Promise<HubResponse<T>> {
    const url = urlOf(this.options.baseURL, options.path, options.query);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (this.options.lang && !headers['accept-language']) headers['accept-language'] = this.options.lang;
    const raw = options.body instanceof Uint8Array;
    if (options.body !== undefined && !raw) headers['content-type'] = 'application/json';
    if (options.method !== 'GET') headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
    const redacted: RedactedRequest = { method: options.method, url, headers: redactHeaders(headers) };
    const body =
      options.body === undefined
        ? undefined
        : raw
          ? (options.body as Uint8Array)
          : JSON.stringify(options.body);
    const retries = options.maxRetries ?? this.options.maxRetries;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.once<T>(
        url,
        { method: options.method, headers, body },
        redacted,
        options.signal,
        options.timeout ?? this.options.timeout,
      );
      const retryable = outcome.error ? outcome.retryable : false;
      if (!outcome.error) return outcome.response;
      if (!retryable || attempt >= retries) throw outcome.error;
      await (this.options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(
        retryDelay(attempt + 1, outcome.retryAfter),
      );
    }
  }

  private async once<T>(
    url: string,
    init: { method: string; headers: Record<string, string>; body: string | Uint8Array | undefined },
    redacted: RedactedRequest,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<
    | { error?: undefined; response: HubResponse<T> }
    | { error: Error; retryable: boolean; retryAfter: string | null }
  > {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await (this.options.fetch as FetchLike)(url, { ...init, signal: combined });
    } catch (cause) {
      if (signal?.aborted)
        return {
          error: new HubUserAbortError('HUB-ABORTED', '请求已取消 request aborted', { cause }),
          retryable: false,
          retryAfter: null,
        };
      if (timeout.aborted)
        return {
          error: new HubTimeoutError('HUB-TIMEOUT', `枢纽在 ${timeoutMs} ms 内未响应`, {
            location: `${redacted.method} ${url}`,
            cause,
          }),
          retryable: true,
          retryAfter: null,
        };
      return {
        error: new HubConnectionError('HUB-UNREACHABLE', `无法连接枢纽 ${new URL(url).origin}`, {
          location: `${redacted.method} ${url}`,
          hint: '检查 --hub 地址、网络和枢纽是否在运行。',
          cause,
        }),
        retryable: true,
        retryAfter: null,
      };
    }
    const text = await response.text();
    let data: unknown = text;
    try {
      data = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      // A non-JSON body stays text; an error still carries it.
    }
    const headers = headersOf(response);
    if (response.ok) return { response: { status: response.status, data: data as T, headers } };
    const retryable =
      RETRY_STATUSES.has(response.status) || response.status >= 500 || headers['x-should-retry'] === 'true';
    return {
      error: HubAPIError.generate(response.status, data, headers, redacted),
      retryable,
      retryAfter: response.headers.get('retry-after'),
    };
  }
}
