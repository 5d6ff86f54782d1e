/**
 * One signed exchange call: sign, send, turn a refusal into its typed error, and wait out a 429
 * when the caller asked for it. Every try is signed afresh — a new request id and nonce — since
 * the hub refuses a nonce it has seen (CLI.NONCE_REPLAY).
 */
import type { Lang } from '@minjiang/standards';
import { HubConnectionError, HubTimeoutError } from '../client/errors.js';
import type { FetchLike } from '../client/transport.js';
import { ExchangeLimitError, refusalOf } from './errors.js';
import { signExchangeRequest, type ExchangeIdentity } from './signer.js';
import type { RateLimitState } from './types.js';

export interface ExchangeHttpOptions {
  identity: ExchangeIdentity;
  fetch: FetchLike;
  now: () => Date;
  lang: Lang;
  timeout: number;
  /** Retries of a 429, each after its Retry-After; 0 (the default) for none. */
  retry429: number;
  /** The longest Retry-After waited for, in seconds; a longer one is thrown at once. */
  maxRetryWait: number;
  sleep: (ms: number) => Promise<void>;
}

export interface ExchangeCall {
  method: 'GET' | 'POST';
  url: URL;
  /** JSON text; absent for none. */
  body?: string;
  accept?: string;
}

/** Whether to try a refused call again: only a 429 the caller asked to wait out, within bounds. */
function waitFor(error: unknown, attempt: number, options: ExchangeHttpOptions): number | undefined {
  if (!(error instanceof ExchangeLimitError) || attempt >= options.retry429) return undefined;
  const seconds = error.retryAfter ?? 1;
  return seconds <= options.maxRetryWait ? seconds * 1000 : undefined;
}

async function fetchOnce(call: ExchangeCall, options: ExchangeHttpOptions): Promise<Response> {
  // Without the query: its condition values may be personal data.
  const location = `${call.method} ${call.url.origin}${call.url.pathname}`;
  const headers = {
    ...signExchangeRequest(options.identity, call, { now: options.now() }),
    accept: call.accept ?? 'application/json',
    'accept-language': options.lang === 'en' ? 'en' : 'zh-CN',
  };
  const timeout = AbortSignal.timeout(options.timeout);
  try {
    return await options.fetch(call.url.toString(), {
      method: call.method,
      headers,
      ...(call.body ? { body: call.body } : {}),
      signal: timeout,
    });
  } catch (cause) {
    if (timeout.aborted)
      throw new HubTimeoutError('HUB-TIMEOUT', `枢纽在 ${options.timeout} ms 内未响应`, { location, cause });
    throw new HubConnectionError('HUB-UNREACHABLE', `无法连接枢纽 ${call.url.origin}`, {
      location,
      hint: '检查 --hub 地址、网络和枢纽是否在运行。',
      cause,
    });
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

/** Sends a call; resolves with the successful response (body unread), throws the refusal. */
export async function sendExchange(call: ExchangeCall, options: ExchangeHttpOptions): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetchOnce(call, options);
    if (response.ok) return response;
    const location = `${call.method} ${call.url.origin}${call.url.pathname}`;
    const error = refusalOf(response, await bodyOf(response), location, options.now());
    const wait = waitFor(error, attempt, options);
    if (wait === undefined) throw error;
    await options.sleep(wait);
  }
}

/** The JSON envelope of a successful call. */
export async function envelopeOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** `RateLimit-Policy` and the calls left today, from an answer's headers. */
export function rateLimitOf(headers: Headers): RateLimitState {
  const policy = headers.get('ratelimit-policy') ?? undefined;
  const left = /(?:^|[;\s])r=(\d+)/.exec(headers.get('ratelimit') ?? '')?.[1];
  return { ...(policy ? { policy } : {}), ...(left !== undefined ? { remaining: Number(left) } : {}) };
}
