import type { Kysely } from 'kysely';
import { NoResultError } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, putEntry, resourceCode, rowCounts } from '../../../test-utils/catalog.js';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { appendAudit } from './log.js';

const ORG = {
  id: '350100/GOV/11350100MB01234578',
  name: '福州市市场监督管理局',
  kind: 'department',
  uscc: '11350100MB01234578',
  regionCode: '350100',
  platformCode: '350100',
  memberClass: 'GOV',
  status: 'ACTIVE',
};

describe.each(ENGINES)('audit fail-closed on %s', (engine) => {
  let hub: TestHub;
  let db: Kysely<Database>;
  let NEW_ORG: typeof ORG & { parent: string };
  beforeAll(async () => {
    hub = await buildTestHub(engine);
    db = hub.app.hub.store.db;
    const cities = (
      await hub.call(hub.tokens.admin, { method: 'GET', url: '/api/v1/organisations?kind=city' })
    ).json<{ items: { id: string; regionCode: string }[] }>().items;
    NEW_ORG = { ...ORG, parent: cities.find((city) => city.regionCode === '350100')?.id ?? '' };
  });
  afterAll(async () => hub.close());

  const count = async (table: 'organisations' | 'api_tokens' | 'audit_entries') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Takes the head row away (the log cannot append), runs the writes, then puts it back. */
  async function withoutHead(run: () => Promise<void>): Promise<void> {
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await db.deleteFrom('audit_head').execute();
    try {
      await run();
    } finally {
      await db.insertInto('audit_head').values(head).execute();
    }
  }

  it('commits no organisation, token or catalog write the log cannot record, and answers 503', async () => {
    const before = {
      organisations: await count('organisations'),
      tokens: await count('api_tokens'),
      audit: await count('audit_entries'),
    };
    await withoutHead(async () => {
      const writes = [
        await hub.call(hub.tokens.admin, { method: 'POST', url: '/api/v1/organisations', payload: NEW_ORG }),
        await hub.call(hub.tokens.admin, {
          method: 'POST',
          url: '/api/v1/tokens',
          payload: { orgId: department('GAT').id, name: 'unlogged', roles: ['consumer'] },
        }),
        await putEntry(hub, hub.tokens.officer, catalogEntry(7)),
      ];
      for (const response of writes) {
        expect(response.statusCode).toBe(503);
        const body = response.json<{ code: string; requestId: string }>();
        expect(body.code).toBe('HUB_ERR_AUDIT_UNAVAILABLE');
        expect(body.requestId).not.toBe('');
      }
    });
    expect({
      organisations: await count('organisations'),
      tokens: await count('api_tokens'),
      audit: await count('audit_entries'),
    }).toEqual(before);
    expect(await rowCounts(hub, resourceCode(7))).toMatchObject({ resources: 0, versions: 0, audit: 0 });
    // With the log back, the same writes go through and the log still verifies.
    const again = await hub.call(hub.tokens.admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: NEW_ORG,
    });
    expect(again.statusCode).toBe(201);
    const verified = await hub.call(hub.tokens.auditor, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(verified.json()).toMatchObject({ ok: true });
  });

  it('maps only the append failure to 503: other errors of the write keep their own answer', async () => {
    const clash = await hub.call(hub.tokens.admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: NEW_ORG,
    });
    expect(clash.statusCode).toBe(409);
    await withoutHead(async () => {
      const failure = await db
        .transaction()
        .execute((trx) =>
          appendAudit(trx, { hubCode: '350000', engine, now: new Date() }, [
            { type: 'admin', action: 'test', actor: { system: 'test' }, object: 'x', result: 'success' },
          ]),
        )
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(HubError);
      expect(failure).toMatchObject({ code: 'HUB_ERR_AUDIT_UNAVAILABLE', statusCode: 503 });
      expect((failure as HubError).cause).toBeInstanceOf(NoResultError);
    });
  });
});
