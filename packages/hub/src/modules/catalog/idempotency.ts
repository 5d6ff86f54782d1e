import { canonicalJson, sm3Hex } from '@minjiang/standards';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from '../../errors.js';

/** An answer a write handler produces, which an Idempotency-Key can replay. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** How long a key is remembered: a day covers any sensible retry policy. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const KEY_SHAPE = /^[\x21-\x7e]{1,128}$/;

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  for (const [name, value] of Object.entries(answer.headers ?? {})) void reply.header(name, value);
  return reply.status(answer.status).send(answer.body);
}

/** What makes two requests the same: method, URL, preconditions and the body's canonical form. */
function requestHash(request: FastifyRequest): string {
  return sm3Hex(
    canonicalJson({
      method: request.method,
      url: request.url,
      ifMatch: request.headers['if-match'] ?? null,
      ifNoneMatch: request.headers['if-none-match'] ?? null,
      body: request.body ?? null,
    }),
  );
}

async function storedAnswer(app: FastifyInstance, tokenId: string, key: string, cutoff: string) {
  return app.hub.store.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('token_id', '=', tokenId)
    .where('key', '=', key)
    .where('created_at', '>=', cutoff)
    .executeTakeFirst();
}

async function storeAnswer(
  app: FastifyInstance,
  row: { token_id: string; key: string; request_hash: string; created_at: string },
  answer: Answer,
  cutoff: string,
): Promise<void> {
  const values = {
    ...row,
    status_code: answer.status,
    response: JSON.stringify({ headers: answer.headers ?? {}, body: answer.body }),
  };
  // An expired key is reused; a live one (a racing twin's) is left as it is.
  await app.hub.store.db
    .insertInto('idempotency_keys')
    .values(values)
    .onConflict((conflict) =>
      conflict
        .columns(['token_id', 'key'])
        .doUpdateSet(values)
        .where('idempotency_keys.created_at', '<', cutoff),
    )
    .execute();
}

/**
 * Runs a write under its `Idempotency-Key`, if the request has one. Keys belong to the token that
 * sent them. The same key with the same request replays the stored answer (same status and body,
 * with `Idempotency-Replayed: true`); with a different request it is a 422. Only successful
 * answers are stored: a refused write changed nothing, and its retry is judged afresh.
 *
 * Two requests racing with one key may both run; writes are idempotent by content hash, so the
 * second only reports `unchanged`, and the first stored answer wins.
 */
export async function idempotent(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  run: () => Promise<Answer>,
): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return send(reply, await run());
  if (typeof key !== 'string' || !KEY_SHAPE.test(key)) {
    throw new HubError('HUB_ERR_BAD_REQUEST', {
      detail: 'Idempotency-Key must be 1–128 visible ASCII characters',
    });
  }
  const tokenId = request.caller?.tokenId ?? '';
  const hash = requestHash(request);
  const now = app.hub.now();
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  const stored = await storedAnswer(app, tokenId, key, cutoff);
  if (stored) {
    if (stored.request_hash !== hash) throw new HubError('HUB_ERR_IDEMPOTENCY_MISMATCH', { key });
    const saved = JSON.parse(stored.response) as Omit<Answer, 'status'>;
    const headers = { ...saved.headers, 'idempotency-replayed': 'true' };
    return send(reply, { status: stored.status_code, headers, body: saved.body });
  }
  const answer = await run();
  if (answer.status < 300) {
    await storeAnswer(
      app,
      { token_id: tokenId, key, request_hash: hash, created_at: now.toISOString() },
      answer,
      cutoff,
    );
  }
  return send(reply, answer);
}
