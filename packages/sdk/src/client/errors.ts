import type { Issue } from '@minjiang/standards';
import { MinjiangError } from '../core/errors.js';

/** A finding the hub returned with a 4xx: the standards' Issue, as the hub serialises it. */
export type HubIssue = Issue;

/** What was asked, without credentials: safe to log and to keep on an error. */
export interface RedactedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);

/** Copies headers with every credential replaced, so no error or log line carries a token. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value,
    ]),
  );
}

/** Base of the errors of hub calls. */
export class HubError extends MinjiangError {}

interface ErrorBody {
  code?: string;
  message?: string;
  hint?: string;
  requestId?: string;
  issues?: HubIssue[];
}

/** The hub answered with an error status. One subclass per status family. */
export class HubAPIError extends HubError {
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string | undefined;
  readonly issues: HubIssue[];
  readonly request: RedactedRequest;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string>, request: RedactedRequest) {
    const parsed = (body ?? {}) as ErrorBody;
    super(
      parsed.code ?? `HTTP_${status}`,
      parsed.message ?? `${request.method} ${request.url} answered ${status}`,
      {
        location: `${request.method} ${request.url}`,
        ...(parsed.hint ? { hint: parsed.hint } : {}),
      },
    );
    this.status = status;
    this.body = body;
    this.requestId = parsed.requestId ?? headers['x-request-id'];
    this.issues = parsed.issues ?? [];
    this.request = request;
    this.headers = headers;
  }

  /** The subclass for a status. */
  static generate(
    status: number,
    body: unknown,
    headers: Record<string, string>,
    request: RedactedRequest,
  ): HubAPIError {
    const Type = STATUS_ERRORS[status] ?? (status >= 500 ? InternalServerError : HubAPIError);
    return new Type(status, body, headers, request);
  }
}

export class BadRequestError extends HubAPIError {}
export class AuthenticationError extends HubAPIError {}
export class PermissionDeniedError extends HubAPIError {}
export class NotFoundError extends HubAPIError {}
export class ConflictError extends HubAPIError {}
export class PreconditionFailedError extends HubAPIError {}
export class PayloadTooLargeError extends HubAPIError {}
export class UnprocessableEntityError extends HubAPIError {}
export class RateLimitError extends HubAPIError {}
export class InternalServerError extends HubAPIError {}

const STATUS_ERRORS: Record<number, typeof HubAPIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** No answer: the hub could not be reached. */
export class HubConnectionError extends HubError {}
/** No answer in time. */
export class HubTimeoutError extends HubError {}
/** The caller aborted the request. */
export class HubUserAbortError extends HubError {}
