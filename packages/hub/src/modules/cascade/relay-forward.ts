/**
 * Forwarding a relayed exchange call to the next hub and passing its answer back
 * (docs/cascade-relay.md): the request line, body and end-to-end headers unchanged, plus
 * `SES-Via` and this hop's signature; the answer unchanged apart from `SES-Via` (and
 * `SES-Error-Hop` on a refusal that names no hop yet). This hop's `api.relay` leaf is written
 * when the answer's head is in and before any of it is passed on; a package streams through.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SES_COMPONENTS, sm3Digest } from '@minjiang/standards';
import type { FastifyReply } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit, type AuditEvent } from '../audit/log.js';
import { SesError } from '../exchange/ses-error.js';
import { signHop, VIA_HEADER, type HopRequest } from './relay-hop.js';

/** How long a relayed answer's body may take once its head is in (a large package). */
const RELAY_BODY_TIMEOUT_MS = 300_000;
export const ERROR_HOP_HEADER = 'ses-error-hop';

/** A refusal located at another hub than this one: `SES-Error-Hop` names it. */
export class HopRefusal extends SesError {
  constructor(
    code: string,
    detail: string,
    readonly hop: string,
  ) {
    super(code, detail);
  }
}

/** End-to-end request headers a hop forwards: the signed ones and what the answer is asked in. */
const FORWARDED = [
  ...SES_COMPONENTS.filter((component) => !component.startsWith('@')),
  'signature-input',
  'signature',
  'accept',
  'accept-language',
];
/** Answer headers that belong to one connection, not to the answer. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'date',
]);

/** Where a relayed call goes next and what its hop record says. */
export interface RelayTarget {
  /** The next hub's code and base URL. */
  next: string;
  baseUrl: string;
  /** `SES-Via` as it reached this hub (the hubs before it). */
  via: string[];
  request: HopRequest;
  body: Buffer | undefined;
  /** The `api.relay` leaf without its `res` (PII-free: ids, digests, codes). */
  leaf: Omit<NonNullable<AuditEvent['exchange']>, 'res'>;
}

type RelayRes = NonNullable<NonNullable<AuditEvent['exchange']>['res']>;

async function writeLeaf(hub: HubContext, target: RelayTarget, res: RelayRes, failed?: string) {
  const event: AuditEvent = {
    type: 'api',
    action: 'relay',
    actor: { system: 'cascade-relay' },
    object: target.next,
    // The relay succeeded when it passed an answer back, whatever the answer says (its status
    // and code are in `res`); it failed when the next hub gave none.
    result: failed ? 'failure' : 'success',
    exchange: { ...target.leaf, res },
    ...(failed ? { detail: { code: failed } } : {}),
  };
  try {
    await hub.store.db
      .transaction()
      .execute((trx) =>
        appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now: hub.now() }, [event]),
      );
  } catch {
    throw new SesError('HUB.LOG_UNAVAILABLE');
  }
}

/** The next hub gave no (whole) answer: the failed relay's leaf, then the refusal naming that hub. */
async function upstreamFailure(hub: HubContext, target: RelayTarget, abort: AbortController, what: string) {
  const timedOut = abort.signal.aborted;
  const code = timedOut ? 'HUB.UPSTREAM_TIMEOUT' : 'HUB.UPSTREAM_UNAVAILABLE';
  await writeLeaf(hub, target, { http: timedOut ? 504 : 502, code }, code.slice(4));
  return new HopRefusal(code, `${target.next} ${what}${timedOut ? ' in time' : ''}`, target.next);
}

/** Sends the call on; throws HUB.UPSTREAM_TIMEOUT / _UNAVAILABLE (leaf written) when no head comes. */
async function send(hub: HubContext, target: RelayTarget, via: string, abort: AbortController) {
  const headers: Record<string, string> = { [VIA_HEADER]: via };
  for (const name of FORWARDED) {
    const value = target.request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  Object.assign(headers, await signHop(hub, { ...target.request, headers }));
  const { path, query } = target.request;
  const url = `${target.baseUrl.replace(/\/+$/, '')}${path}${query === '?' ? '' : query}`;
  const timer = setTimeout(() => abort.abort(new Error('timeout')), hub.config.cascadeRelayTimeout * 1000);
  try {
    return await fetch(url, {
      method: target.request.method,
      headers,
      redirect: 'manual',
      signal: abort.signal,
      ...(target.body && target.body.length > 0 ? { body: target.body } : {}),
    });
  } catch {
    throw await upstreamFailure(hub, target, abort, 'gave no answer');
  } finally {
    clearTimeout(timer);
  }
}

const RES_CODE = /^(CLI|HUB|PRV)\.[A-Z][A-Z0-9_]{1,62}$/;

function resCode(answer: Response): string {
  if (answer.status < 400) return '0';
  const code = answer.headers.get('ses-error') ?? '';
  return RES_CODE.test(code) ? code : 'HUB.INTERNAL';
}

/** The answer's headers as they go back: unchanged but for the connection's own, SES-Via, the hop. */
function answerHeaders(answer: Response, target: RelayTarget, via: string): Record<string, string> {
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  });
  headers[VIA_HEADER] ??= via;
  if (answer.status >= 400 && headers['ses-error']) headers[ERROR_HOP_HEADER] ??= target.next;
  return headers;
}

/** A JSON answer, read whole within the head timeout again; a body cut off or too slow is the next hub's failure. */
async function jsonBody(hub: HubContext, target: RelayTarget, answer: Response, abort: AbortController) {
  const timer = setTimeout(() => abort.abort(new Error('timeout')), hub.config.cascadeRelayTimeout * 1000);
  try {
    return Buffer.from(await answer.arrayBuffer());
  } catch {
    throw await upstreamFailure(hub, target, abort, 'sent no whole answer');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Relays the call and answers the caller with what came back; the hop's leaf is committed first
 * (HUB.LOG_UNAVAILABLE and nothing passed on when it cannot be).
 */
export async function relayCall(hub: HubContext, target: RelayTarget, reply: FastifyReply) {
  const via = [...target.via, hub.config.hubCode].join(',');
  const abort = new AbortController();
  const answer = await send(hub, target, via, abort);
  const headers = answerHeaders(answer, target, via);
  const code = resCode(answer);
  const streamed = !(answer.headers.get('content-type') ?? '').startsWith('application/json');
  if (!streamed || !answer.body) {
    const body = await jsonBody(hub, target, answer, abort);
    const res = { http: answer.status, code, bodyHash: sm3Digest(body), bytes: body.length };
    await writeLeaf(hub, target, res);
    return reply.code(answer.status).headers(headers).send(body);
  }
  // A package: its size is the declared length; its bytes are not held here.
  const length = Number(answer.headers.get('content-length') ?? Number.NaN);
  const declared = Number.isInteger(length) && !answer.headers.has('content-encoding');
  try {
    await writeLeaf(hub, target, { http: answer.status, code, ...(declared ? { bytes: length } : {}) });
  } catch (error) {
    await answer.body.cancel().catch(() => undefined);
    throw error;
  }
  const timer = setTimeout(() => abort.abort(new Error('timeout')), RELAY_BODY_TIMEOUT_MS);
  const stream = Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>);
  stream.once('close', () => clearTimeout(timer));
  if (declared) headers['content-length'] = String(length);
  return reply.code(answer.status).headers(headers).send(stream);
}
