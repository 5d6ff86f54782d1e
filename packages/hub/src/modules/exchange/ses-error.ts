/**
 * Refusals of the exchange API: the real HTTP status, `SES-Error: <ORIGIN>.<CODE>` and the
 * envelope `{ code, msg, requestId, data: null, httpStatus, origin, hint }` (exchange.md §8.3,
 * exchange/error-1.0), so a client tells a hub failure from its own without parsing the body.
 * Codes, statuses and messages are the standards' table (codes/exchange-error.json).
 */
import { exchangeError, exchangeErrorBody, type Lang } from '@minjiang/standards';
import type { FastifyReply } from 'fastify';

/** A refusal of an exchange call; `detail` says what exactly (never a data value). */
export class SesError extends Error {
  override name = 'SesError';
  readonly status: number;

  constructor(
    readonly code: string,
    readonly detail?: string,
    readonly retryAfter?: number,
  ) {
    super(`${code}${detail ? `: ${detail}` : ''}`);
    const def = exchangeError(code);
    if (!def) throw new Error(`Unknown exchange error code ${code}`);
    this.status = def.httpStatus;
  }
}

/** Sends a refusal: status, SES-Error, Retry-After, and the envelope in the caller's language. */
export function sendRefusal(reply: FastifyReply, requestId: string, error: SesError, lang: Lang) {
  const body = exchangeErrorBody(error.code, requestId, lang);
  if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
  return reply
    .code(error.status)
    .header('ses-error', error.code)
    .header('ses-request-id', requestId)
    .send({ ...body, ...(error.detail ? { msg: `${body.msg}：${error.detail}` } : {}), data: null });
}
