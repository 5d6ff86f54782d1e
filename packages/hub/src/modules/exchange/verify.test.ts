import { sql } from 'kysely';
import { validateAuditLeaf } from '@minjiang/standards';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALL_TIME, exchangeHub, type ExchangeHub } from '../../../test-utils/exchange.js';
import { ENGINES } from '../../../test-utils/hub.js';

interface Results {
  data: { results: { ref: string; verdict: string; fields: Record<string, string> }[] } | null;
}

describe.each(ENGINES)('SES-API r1 verification and release on %s', (engine) => {
  let hub: ExchangeHub;
  beforeAll(async () => {
    hub = await exchangeHub(engine);
  });
  beforeEach(() => hub.setNow(CALL_TIME));
  afterAll(async () => hub.close());

  const verify = (subjects: object[], options: Parameters<ExchangeHub['ses']>[1] = {}) =>
    hub.ses(hub.verify, {
      path: `${hub.verify.service}/verify`,
      body: JSON.stringify({ subjects }),
      ...options,
    });

  it('answers MATCH, MISMATCH and NOT_FOUND per subject and field, never a value', async () => {
    const [id, name] = [hub.rows[0]![0]!, hub.rows[0]![1]!];
    const response = await verify([
      { ref: '1', GMSFHM: id, XM: name },
      { ref: '2', GMSFHM: id, XM: '李四' },
      { ref: '3', GMSFHM: '350102199001011234', XM: name },
    ]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<Results>().data!.results).toEqual([
      { ref: '1', verdict: 'MATCH', fields: { GMSFHM: 'MATCH', XM: 'MATCH' } },
      { ref: '2', verdict: 'MISMATCH', fields: { GMSFHM: 'MATCH', XM: 'MISMATCH' } },
      { ref: '3', verdict: 'NOT_FOUND', fields: { GMSFHM: 'NOT_VERIFIED', XM: 'NOT_VERIFIED' } },
    ]);
    expect(response.body).not.toContain(name);
    const leaf = await hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select('leaf')
      .where('action', '=', 'verify.call')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const parsed = JSON.parse(leaf.leaf) as { subjects: string[] };
    expect(validateAuditLeaf(parsed)).toEqual([]);
    expect(parsed.subjects).toHaveLength(2);
    expect(leaf.leaf).not.toContain(id);
  });

  it('refuses an altered body, a field not granted, and queries under a VERIFY grant', async () => {
    const id = hub.rows[0]![0]!;
    const altered = await verify([{ ref: '1', GMSFHM: id }], {
      tamper: (request) =>
        void (request.body = JSON.stringify({ subjects: [{ ref: '1', GMSFHM: hub.rows[1]![0] }] })),
    });
    expect(altered.headers['ses-error']).toBe('CLI.DIGEST_MISMATCH');
    const extra = await verify([{ ref: '1', GMSFHM: id, CSRQ: '1980-01-02' }]);
    expect(extra.headers['ses-error']).toBe('HUB.FIELD_NOT_GRANTED');
    const query = await hub.ses(hub.verify, { query: `GMSFHM=${id}` });
    expect(query.headers['ses-error']).toBe('HUB.GRANT_NONE');
  });

  it('releases nothing when the audit log cannot take the entry', async () => {
    const db = hub.app.hub.store.db;
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    const calls = async () =>
      Number(
        (
          await db
            .selectFrom('grant_usage')
            .select('calls')
            .where('grant_id', '=', hub.api.grant)
            .executeTakeFirst()
        )?.calls ?? 0,
      );
    const before = await calls();
    await db.deleteFrom('audit_head').execute();
    try {
      const response = await hub.ses(hub.api, { query: `GMSFHM=${hub.rows[0]![0]}` });
      expect(response.statusCode).toBe(503);
      expect(response.headers['ses-error']).toBe('HUB.LOG_UNAVAILABLE');
      expect(response.body).not.toContain('测*');
      expect(response.json<Results>().data).toBeNull();
    } finally {
      await db.insertInto('audit_head').values(head).execute();
    }
    expect(await calls()).toBe(before);
    expect((await hub.ses(hub.api, { query: `GMSFHM=${hub.rows[0]![0]}` })).statusCode).toBe(200);
  });

  it('answers an unexpected failure as HUB.INTERNAL in the exchange form, with nothing released or counted', async () => {
    const db = hub.app.hub.store.db;
    const entries = async () =>
      Number(
        (
          await db
            .selectFrom('audit_entries')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await entries();
    // The stored rows are gone from under the hub: nothing the exchange module expects.
    await sql`alter table data_rows rename to data_rows_away`.execute(db);
    try {
      const response = await hub.ses(hub.api, { query: `GMSFHM=${hub.rows[0]![0]}` });
      expect(response.statusCode).toBe(500);
      expect(response.headers['ses-error']).toBe('HUB.INTERNAL');
      const body = response.json<Results & { origin: string; requestId: string }>();
      expect(body).toMatchObject({ code: 'HUB.INTERNAL', origin: 'HUB', data: null });
      expect(body.requestId).not.toBe('');
      expect(response.body).not.toContain('data_rows');
    } finally {
      await sql`alter table data_rows_away rename to data_rows`.execute(db);
    }
    expect(await entries()).toBe(before);
  });

  it('records concurrent calls together: each nonce once, the quota exact, one audit entry per answer', async () => {
    const small = await hub.grant({ items: ['姓名'] }, { quota: { perDay: 5 } });
    const db = hub.app.hub.store.db;
    const entries = async () =>
      Number(
        (
          await db
            .selectFrom('audit_entries')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('object', '=', small.grant)
            .where('action', '=', 'api.call')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, () => hub.ses(small)),
      hub.ses(small, { nonce: 'same-nonce-1' }),
      hub.ses(small, { nonce: 'same-nonce-1' }),
    ]);
    const codes = answers.map((answer) => answer.headers['ses-error'] ?? String(answer.statusCode));
    expect(codes.filter((code) => code === '200')).toHaveLength(5);
    expect(codes.filter((code) => code === 'CLI.NONCE_REPLAY')).toHaveLength(1);
    expect(codes.filter((code) => code === 'HUB.QUOTA_EXCEEDED')).toHaveLength(4);
    expect(await entries()).toBe(5);
    const usage = await db
      .selectFrom('grant_usage')
      .select('calls')
      .where('grant_id', '=', small.grant)
      .executeTakeFirstOrThrow();
    expect(Number(usage.calls)).toBe(5);
  });

  it('forgets nonces once the replay window is over (the scheduler’s sweep)', async () => {
    const db = hub.app.hub.store.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('ses_nonces')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBeGreaterThan(0);
    hub.setNow(new Date(CALL_TIME.getTime() + 601_000));
    expect((await hub.post(hub.tokens.admin, '/admin/sweep')).statusCode).toBe(200);
    expect(await count()).toBe(0);
  });
});
