import {
  AuthenticationError,
  ExchangeError,
  HubAPIError,
  HubConnectionError,
  HubTimeoutError,
  MinjiangError,
  NotFoundError,
  PermissionDeniedError,
} from '@minjiang/sdk';

/** The exit codes of ARCHITECTURE.md: a contract for scripts and CI pipelines. */
export const EXIT = {
  ok: 0,
  invalid: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  partial: 5,
  unreachable: 6,
  pending: 7,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how the command was called that the flag parser cannot see. */
export class UsageError extends MinjiangError {}

/** No token for the hub, or the token was refused. */
export class CredentialsError extends MinjiangError {}

const CODE_EXITS: Record<string, ExitCode> = {
  'FILE-NOT-FOUND': EXIT.usage,
  'FILE-TYPE': EXIT.usage,
  'CSV-ENCODING-UNKNOWN': EXIT.usage,
  'HUB-INCOMPATIBLE': EXIT.unreachable,
  'PACKAGE-NO-KEY': EXIT.usage,
};

/**
 * Refusals of the exchange API (SES-Error) by status: 401 and 403 are authentication and
 * permission (3); a used-up quota or rate (429) stops the work before it is done, so partial (5),
 * with Retry-After in the hint; 5xx, the audit log among them, is the hub failing (6).
 */
function exchangeExit(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 429) return EXIT.partial;
  if (status >= 500) return EXIT.unreachable;
  return EXIT.invalid;
}

/** Which exit code an error means; everything unknown is 1. */
export function exitCodeFor(error: unknown): ExitCode {
  if (!(error instanceof MinjiangError)) return EXIT.invalid;
  const byCode = CODE_EXITS[error.code];
  if (byCode !== undefined) return byCode;
  if (error instanceof ExchangeError) return exchangeExit(error.status);
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CredentialsError) return EXIT.auth;
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) return EXIT.auth;
  if (error instanceof NotFoundError) return EXIT.notFound;
  if (error instanceof HubConnectionError || error instanceof HubTimeoutError) return EXIT.unreachable;
  if (error instanceof HubAPIError && error.status >= 500) return EXIT.unreachable;
  return EXIT.invalid;
}
