/**
 * Shared setup of the exchange tests: the sharing hub with stored rows for GAT's 无条件共享
 * resource, grants to SCJG under it (API with a row filter and a small quota, VERIFY), their
 * credentials, and a signer that calls `/ses/r1/…` exactly as a consumer's system would.
 */
import { randomUUID } from 'node:crypto';
import { signRequest } from '@minjiang/standards';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { storedRow, storeRows } from '../src/modules/aggregation/row-store.js';
import { HEADER, person } from './governance.js';
import { APPLICANT, sharingHub, UNCONDITIONAL, type SharingHub } from './sharing.js';

/** 2025-10-10, 10:00 China time: inside every test grant's period. */
export const CALL_TIME = new Date('2025-10-10T02:00:00Z');
export const USER = 'hmac-sm3:dXNlci0wMDE=';

export interface Credential {
  grant: string;
  service: string;
  appKey: string;
  secret: string;
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  /** Path after `/ses/r1/` (default `<service>/rows`) and the raw query, without `?`. */
  path?: string;
  query?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Change the request after signing it (tampering tests). */
  tamper?: (request: { path: string; query: string; body?: string; headers: Record<string, string> }) => void;
  signedAt?: Date;
  nonce?: string;
  secret?: string;
  appKey?: string;
  /** Sign `sm2-sm3` with this private key instead of the HMAC secret. */
  privateKey?: string;
  /** Send it to this hub instead (another hub process on the same database). */
  to?: FastifyInstance;
}

export type ExchangeHub = SharingHub & {
  api: Credential;
  verify: Credential;
  rows: string[][];
  /** A signed call under a credential. */
  ses(credential: Credential, options?: CallOptions): Promise<LightMyRequestResponse>;
  /** Issues a grant over the unconditional resource: apply, admin approve (with extras), credentials. */
  grant(apply: Record<string, unknown>, approve?: Record<string, unknown>): Promise<Credential>;
};

function uuidV7(): string {
  const hex = Date.now().toString(16).padStart(12, '0');
  const rest = randomUUID().replace(/-/g, '');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rest.slice(13, 16)}-${'89ab'[Number.parseInt(rest[16]!, 16) % 4]}${rest.slice(17, 20)}-${rest.slice(20, 32)}`;
}

export async function exchangeHub(engine: Parameters<typeof sharingHub>[0]): Promise<ExchangeHub> {
  const hub = await sharingHub(engine);
  const rows = Array.from({ length: 6 }, (_, n) => person(n + 1, `测试${n + 1}`));
  rows[4]![5] = '350103';
  rows[5]![5] = '350103';
  const objects = rows.map((values) => Object.fromEntries(HEADER.map((name, i) => [name, values[i] ?? ''])));
  const { db, engine: kind } = hub.app.hub.store;
  await db.transaction().execute((trx) =>
    storeRows(
      trx,
      kind,
      UNCONDITIONAL,
      'S-test',
      objects.map((row) => storedRow([row['公民身份号码']!], row)),
      new Date().toISOString(),
    ),
  );
  const grant = async (
    apply: Record<string, unknown>,
    approve: Record<string, unknown> = {},
  ): Promise<Credential> => {
    const created = await hub.apply(UNCONDITIONAL, apply);
    const approved = await hub.step(hub.tokens.admin, created.id, 'approve', approve);
    const id = approved.json<{ grant: string }>().grant;
    const issued = await hub.post(hub.tokens.otherOfficer, `/grants/${encodeURIComponent(id)}/credentials`);
    const { appKey, secret } = issued.json<{ appKey: string; secret: string }>();
    const view = await hub.get(hub.tokens.otherOfficer, `/grants/${encodeURIComponent(id)}`);
    const target = view.json<{ document: { target: string } }>().document.target;
    return { grant: id, service: target, appKey, secret };
  };
  const items = ['公民身份号码', '姓名', '出生日期', '户籍地行政区划'];
  const api = await grant(
    { items },
    { rowFilter: '户籍地行政区划 = 350102', quota: { perDay: 40, perSecond: 50 } },
  );
  const verify = await grant({ items: ['公民身份号码', '姓名'], mode: 'VERIFY' }, { quota: { perDay: 100 } });
  hub.setNow(CALL_TIME);
  const ses = (credential: Credential, options: CallOptions = {}) => {
    const request = {
      path: `/ses/r1/${options.path ?? `${credential.service}/rows`}`,
      query: options.query ?? '',
      ...(options.body !== undefined ? { body: options.body } : {}),
      headers: {
        'ses-client': APPLICANT.id,
        'ses-grant': credential.grant,
        'ses-request-id': uuidV7(),
        'ses-purpose': 'SCJG-0101',
        'ses-user': USER,
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
    };
    const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
    const signed = signRequest(
      {
        method,
        path: request.path,
        query: request.query ? `?${request.query}` : '?',
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      },
      options.privateKey
        ? { alg: 'sm2-sm3', keyid: options.appKey ?? credential.appKey, privateKey: options.privateKey }
        : {
            alg: 'hmac-sm3',
            keyid: options.appKey ?? credential.appKey,
            secret: options.secret ?? credential.secret,
          },
      { now: options.signedAt ?? CALL_TIME, ...(options.nonce ? { nonce: options.nonce } : {}) },
    );
    Object.assign(request.headers, signed);
    options.tamper?.(request);
    return (options.to ?? hub.app).inject({
      method,
      url: `${request.path}${request.query ? `?${request.query}` : ''}`,
      headers: request.headers,
      ...(request.body !== undefined ? { payload: request.body } : {}),
    });
  };
  return Object.assign(hub, { api, verify, rows, ses, grant });
}
