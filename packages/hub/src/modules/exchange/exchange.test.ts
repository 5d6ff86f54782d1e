import { generateSm2KeyPair, validateAuditLeaf } from '@minjiang/standards';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { app } from '../../app.js';
import { CALL_TIME, exchangeHub, type ExchangeHub } from '../../../test-utils/exchange.js';
import { ENGINES } from '../../../test-utils/hub.js';

interface Envelope {
  code: string;
  data: { rows: Record<string, string>[] } | null;
  page?: { next?: string; size: number };
  meta?: { fields: string[]; masking: string; records: number };
}

describe.each(ENGINES)('SES-API r1 queries on %s', (engine) => {
  let hub: ExchangeHub;
  beforeAll(async () => {
    hub = await exchangeHub(engine);
  });
  beforeEach(() => hub.setNow(CALL_TIME));
  afterAll(async () => hub.close());

  const id = (n: number) => hub.rows[n - 1]![0]!;

  it('answers a point lookup with the granted fields, masked, and records it before release', async () => {
    const response = await hub.ses(hub.api, { query: `GMSFHM=${id(1)}` });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Envelope>();
    expect(body.meta).toMatchObject({
      fields: ['GMSFHM', 'XM', 'CSRQ', 'HJDQH'],
      masking: 'MP-STD-01',
      records: 1,
    });
    const [row] = body.data!.rows;
    expect(row).toEqual({
      GMSFHM: `${id(1).slice(0, 6)}********${id(1).slice(-4)}`,
      XM: '测**',
      CSRQ: '1980-01-02',
      HJDQH: '350102',
    });
    expect(response.headers['ses-masking']).toBe('MP-STD-01');
    expect(response.headers['ratelimit-policy']).toBe('"day";q=40;w=86400, "second";q=50;w=1');
    const leaf = await hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select('leaf')
      .where('action', '=', 'api.call')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const parsed = JSON.parse(leaf.leaf) as { res: { records: number; fields: string[] }; grant: string };
    expect(parsed).toMatchObject({
      grant: hub.api.grant,
      res: { records: 1, fields: ['GMSFHM', 'XM', 'CSRQ', 'HJDQH'] },
    });
    expect(validateAuditLeaf(JSON.parse(leaf.leaf))).toEqual([]);
    expect(leaf.leaf).not.toContain(id(1));
    expect(leaf.leaf).not.toContain('测试1');
  });

  it('projects to the fields asked for, and refuses any field or condition not granted', async () => {
    const some = await hub.ses(hub.api, { query: `GMSFHM=${id(2)}&fields=XM` });
    expect(some.json<Envelope>().data!.rows).toEqual([{ XM: '测**' }]);
    const extra = await hub.ses(hub.api, { query: `GMSFHM=${id(2)}&fields=XM,XB` });
    expect(extra.statusCode).toBe(403);
    expect(extra.headers['ses-error']).toBe('HUB.FIELD_NOT_GRANTED');
    const condition = await hub.ses(hub.api, { query: 'XB=1' });
    expect(condition.headers['ses-error']).toBe('HUB.FIELD_NOT_GRANTED');
  });

  it('answers a lookup by key with further conditions only when the row meets them all', async () => {
    const rows = async (query: string) => (await hub.ses(hub.api, { query })).json<Envelope>().data!.rows;
    expect(await rows(`GMSFHM=${id(3)}&CSRQ=1980-01-04`)).toHaveLength(1);
    expect(await rows(`GMSFHM=${id(3)}&CSRQ=1980-01-05`)).toEqual([]);
    expect(await rows(`GMSFHM=${id(3)}&HJDQH=350103`)).toEqual([]);
    expect(await rows(`GMSFHM=${id(3)}&XM=${encodeURIComponent('测试3')}`)).toHaveLength(1);
  });

  it('never returns rows outside the grant’s row filter, and pages by cursor', async () => {
    const outside = await hub.ses(hub.api, { query: `GMSFHM=${id(5)}` });
    expect(outside.json<Envelope>().data!.rows).toEqual([]);
    const first = (await hub.ses(hub.api, { query: 'limit=3' })).json<Envelope>();
    expect(first.page?.next).toBeDefined();
    const second = (
      await hub.ses(hub.api, { query: `limit=3&cursor=${first.page!.next!}` })
    ).json<Envelope>();
    const regions = [...first.data!.rows, ...second.data!.rows].map((row) => row.HJDQH);
    expect(regions).toEqual(['350102', '350102', '350102', '350102']);
    expect(second.page?.next).toBeUndefined();
  });

  it('refuses a wrong secret, an altered path or query, a skewed clock and a replayed nonce', async () => {
    const code = async (options: Parameters<ExchangeHub['ses']>[1]) =>
      (await hub.ses(hub.api, options)).headers['ses-error'];
    expect(await code({ secret: 'x'.repeat(43) })).toBe('CLI.SIG_INVALID');
    expect(await code({ appKey: 'ak_00000000000000000000' })).toBe('CLI.KEY_UNKNOWN');
    expect(await code({ query: `GMSFHM=${id(1)}`, tamper: (r) => void (r.query = `GMSFHM=${id(2)}`) })).toBe(
      'CLI.SIG_INVALID',
    );
    expect(await code({ tamper: (r) => void (r.path = r.path.replace('/rows', '/rows/')) })).toBe(
      'CLI.BAD_REQUEST',
    );
    expect(await code({ headers: { 'ses-user': 'operator-7' } })).toBe('CLI.BAD_REQUEST');
    expect(await code({ signedAt: new Date(CALL_TIME.getTime() - 301_000) })).toBe('CLI.TIMESTAMP_SKEW');
    expect(await code({ signedAt: new Date(CALL_TIME.getTime() + 301_000) })).toBe('CLI.TIMESTAMP_SKEW');
    const once = await hub.ses(hub.api, { nonce: 'n-replay-1', query: `GMSFHM=${id(1)}` });
    expect(once.statusCode).toBe(200);
    const replay = await hub.ses(hub.api, { nonce: 'n-replay-1', query: `GMSFHM=${id(1)}` });
    expect(replay.statusCode).toBe(401);
    expect(replay.headers['ses-error']).toBe('CLI.NONCE_REPLAY');
  });

  it('still refuses a replayed nonce after the hub restarts on the same database', async () => {
    const first = await hub.ses(hub.api, { nonce: 'n-restart-1', query: `GMSFHM=${id(1)}` });
    expect(first.statusCode).toBe(200);
    // A hub process started afresh: nothing of the first one's memory, the same database.
    const restarted = Fastify({ logger: false });
    await restarted.register(app, {
      config: hub.app.hub.config,
      store: hub.app.hub.store,
      now: () => hub.app.hub.now(),
    });
    await restarted.ready();
    try {
      const replay = await hub.ses(hub.api, {
        nonce: 'n-restart-1',
        query: `GMSFHM=${id(1)}`,
        to: restarted,
      });
      expect(replay.headers['ses-error']).toBe('CLI.NONCE_REPLAY');
      const fresh = await hub.ses(hub.api, { nonce: 'n-restart-2', query: `GMSFHM=${id(1)}`, to: restarted });
      expect(fresh.statusCode, fresh.body).toBe(200);
      const again = await hub.ses(hub.api, { nonce: 'n-restart-2', query: `GMSFHM=${id(1)}`, to: restarted });
      expect(again.headers['ses-error']).toBe('CLI.NONCE_REPLAY');
    } finally {
      await restarted.close();
    }
  });

  it('refuses another client, another purpose, a key of another grant, and a grant suspended, revoked or expired', async () => {
    const code = async (options: Parameters<ExchangeHub['ses']>[1] = {}, credential = hub.api) =>
      (await hub.ses(credential, options)).headers['ses-error'];
    expect(await code({ headers: { 'ses-client': '350000/GOV/11350000FJ0000025M' } })).toBe('HUB.GRANT_NONE');
    expect(await code({ headers: { 'ses-purpose': 'OTHER-01' } })).toBe('HUB.PURPOSE_MISMATCH');
    expect(await code({ appKey: hub.verify.appKey, secret: hub.verify.secret })).toBe('HUB.GRANT_NONE');
    const other = await hub.grant({ items: ['姓名'] });
    const application = (await hub.get(hub.tokens.admin, `/grants/${encodeURIComponent(other.grant)}`)).json<{
      application: string;
    }>().application;
    expect((await hub.ses(other)).statusCode).toBe(200);
    await hub.step(hub.tokens.admin, application, 'suspend', { reason: '安全检查' });
    expect(await code({}, other)).toBe('HUB.GRANT_SUSPENDED');
    await hub.step(hub.tokens.admin, application, 'revoke', { reason: '停止使用' });
    expect(await code({}, other)).toBe('HUB.GRANT_EXPIRED');
    hub.setNow(new Date('2026-07-01T00:00:00Z'));
    expect(await code({ signedAt: new Date('2026-07-01T00:00:00Z') })).toBe('HUB.GRANT_EXPIRED');
  });

  it('stops at the daily quota with 429 and Retry-After, and counts nothing refused', async () => {
    const small = await hub.grant({ items: ['姓名'] }, { quota: { perDay: 2 } });
    expect((await hub.ses(small)).statusCode).toBe(200);
    expect((await hub.ses(small)).headers.ratelimit).toBe('"day";r=0;t=50400');
    const refused = await hub.ses(small);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['ses-error']).toBe('HUB.QUOTA_EXCEEDED');
    expect(Number(refused.headers['retry-after'])).toBe(50400);
  });

  it('accepts calls signed with SM2 by a client that registered its public key, and only with that key', async () => {
    const sm2 = await hub.grant({ items: ['姓名'] });
    const pair = generateSm2KeyPair();
    const url = `/grants/${encodeURIComponent(sm2.grant)}/credentials`;
    const issued = await hub.post(hub.tokens.otherOfficer, url, { rotate: true, publicKey: pair.publicKey });
    expect(issued.statusCode, issued.body).toBe(201);
    const { appKey, alg, secret } = issued.json<{ appKey: string; alg: string; secret?: string }>();
    expect({ alg, secret }).toEqual({ alg: 'sm2-sm3', secret: undefined });
    const signed = await hub.ses(sm2, { appKey, privateKey: pair.privateKey });
    expect(signed.statusCode, signed.body).toBe(200);
    const other = generateSm2KeyPair();
    expect((await hub.ses(sm2, { appKey, privateKey: other.privateKey })).headers['ses-error']).toBe(
      'CLI.SIG_INVALID',
    );
    expect((await hub.ses(sm2, { appKey, secret: 'x'.repeat(43) })).headers['ses-error']).toBe(
      'CLI.SIG_INVALID',
    );
    const bad = await hub.post(hub.tokens.otherOfficer, url, { rotate: true, publicKey: '04abc' });
    expect(bad.statusCode).toBe(400);
  });

  it('reads a warm point lookup with its credential, answers calls read together each with its own row, and releases nothing refused', async () => {
    const items = ['公民身份号码', '姓名', '出生日期', '户籍地行政区划'];
    const filtered = await hub.grant({ items }, { rowFilter: '户籍地行政区划 = 350102' });
    const open = await hub.grant({ items: ['公民身份号码', '姓名'] });
    const lookup = (credential: typeof open, n: number) => hub.ses(credential, { query: `GMSFHM=${id(n)}` });
    // The first call compiles each grant's terms; only later calls know the row to read ahead.
    expect((await lookup(filtered, 1)).statusCode).toBe(200);
    expect((await lookup(open, 1)).statusCode).toBe(200);
    const store = hub.app.hub.store;
    const { readOne, readAll } = store;
    const statements: string[] = [];
    store.readOne = (query, params) => (statements.push(query.name), readOne(query, params));
    store.readAll = (query, params) => (statements.push(query.name), readAll(query, params));
    let answers: Awaited<ReturnType<typeof lookup>>[];
    try {
      answers = await Promise.all([
        ...[2, 3, 4, 5].map((n) => lookup(filtered, n)),
        lookup(open, 5),
        hub.ses(open, { query: `GMSFHM=${id(6)}`, appKey: 'ak_00000000000000000000' }),
        hub.ses(open, { query: `GMSFHM=${id(6)}`, secret: 'x'.repeat(43) }),
      ]);
    } finally {
      Object.assign(store, { readOne, readAll });
    }
    const rows = answers.slice(0, 5).map((answer) => answer.json<Envelope>().data!.rows);
    const masked = (n: number) => `${id(n).slice(0, 6)}********${id(n).slice(-4)}`;
    expect(rows.map((found) => found.map((row) => row.GMSFHM))).toEqual([
      [masked(2)],
      [masked(3)],
      [masked(4)],
      [], // outside the row filter, though read with the credential
      [masked(5)],
    ]);
    expect(rows[4]![0]).toEqual({ GMSFHM: masked(5), XM: '测**' });
    expect(answers.slice(5).map((answer) => answer.headers['ses-error'])).toEqual([
      'CLI.KEY_UNKNOWN',
      'CLI.SIG_INVALID',
    ]);
    expect(statements).not.toContain('ses_row_by_key');
    const reads = statements.filter((name) => name.startsWith('ses_call_context')).length;
    // PostgreSQL sends the calls parsed together as one statement; SQLite reads each in process.
    if (engine === 'postgres') expect(reads).toBeLessThan(answers.length);
    else expect(reads).toBe(answers.length);
    const application = (await hub.get(hub.tokens.admin, `/grants/${encodeURIComponent(open.grant)}`)).json<{
      application: string;
    }>().application;
    await hub.step(hub.tokens.admin, application, 'suspend', { reason: '安全检查' });
    const suspended = await lookup(open, 2);
    expect(suspended.headers['ses-error']).toBe('HUB.GRANT_SUSPENDED');
    expect(suspended.body).not.toContain(id(2).slice(-4));
  });
});
