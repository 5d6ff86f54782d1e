/**
 * Refusals of the exchange API as typed errors. The hub says what went wrong in `SES-Error`
 * (exchange/error-1.0): the code, not the message, is what a program should branch on.
 */
import { HubError } from '../client/errors.js';

export interface ExchangeErrorDetails {
  status: number;
  /** `SES-Error`, e.g. `HUB.FIELD_NOT_GRANTED`; `HTTP_<status>` when the hub sent none. */
  code: string;
  message: string;
  requestId?: string | undefined;
  /** Seconds to wait before trying again (429), from `Retry-After`. */
  retryAfter?: number | undefined;
  /** `client`, `hub` or `provider`: whose fault it is, as the envelope says. */
  origin?: string | undefined;
  hint?: string | undefined;
  /**
   * `SES-Error-Hop`: the hub where a relayed call was refused or its route broke (a grant of
   * another hub, docs/cascade-relay.md); absent for a call the consumer's own hub served.
   */
  hop?: string | undefined;
  /** `METHOD URL` of the call (never a header: the signature stays out of errors and logs). */
  location: string;
}

/** The hub refused an exchange call. One subclass per status family. */
export class ExchangeError extends HubError {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;
  readonly origin: string | undefined;
  readonly hop: string | undefined;

  constructor(details: ExchangeErrorDetails) {
    super(details.code, details.message, {
      location: details.location,
      ...(details.hint ? { hint: details.hint } : {}),
    });
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAfter = details.retryAfter;
    this.origin = details.origin;
    this.hop = details.hop;
  }

  static generate(details: ExchangeErrorDetails): ExchangeError {
    const Type =
      BY_STATUS[details.status] ?? (details.status >= 500 ? ExchangeUnavailableError : ExchangeError);
    return new Type(details);
  }
}

/** 400: the request was malformed or its body does not match Content-Digest. */
export class ExchangeBadRequestError extends ExchangeError {}
/** 401: the signature, its time, its nonce or the app key was refused. Never retried. */
export class ExchangeAuthenticationError extends ExchangeError {}
/** 403: the grant does not allow this call (none, expired, suspended, purpose, field). Never retried. */
export class ExchangePermissionError extends ExchangeError {}
/** 429: the daily quota or the per-second rate is used up; `retryAfter` says for how long. */
export class ExchangeLimitError extends ExchangeError {}
/** 5xx: the hub could not answer, e.g. its audit log could not be written; nothing was released. */
export class ExchangeUnavailableError extends ExchangeError {}

const BY_STATUS: Record<number, typeof ExchangeError> = {
  400: ExchangeBadRequestError,
  401: ExchangeAuthenticationError,
  403: ExchangePermissionError,
  429: ExchangeLimitError,
};

/** `Retry-After` in seconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now: Date = new Date()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now.getTime()) / 1000)) : undefined;
}

interface RefusalBody {
  code?: unknown;
  msg?: unknown;
  requestId?: unknown;
  origin?: unknown;
  hint?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** The typed error of a refused response, from its headers and the error envelope. */
export function refusalOf(response: Response, body: unknown, location: string, now: Date): ExchangeError {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as RefusalBody;
  const code = response.headers.get('ses-error') ?? text(envelope.code) ?? `HTTP_${response.status}`;
  return ExchangeError.generate({
    status: response.status,
    code,
    message: text(envelope.msg) ?? `${location} answered ${response.status}`,
    requestId: response.headers.get('ses-request-id') ?? text(envelope.requestId),
    retryAfter: retryAfterSeconds(response.headers.get('retry-after'), now),
    origin: text(envelope.origin),
    hint: text(envelope.hint),
    hop: response.headers.get('ses-error-hop') ?? undefined,
    location,
  });
}
