import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import type { Database } from '../../db/schema.js';
import { createCheckpoint, maybeCheckpoint, type CheckpointRecord } from './checkpoints.js';
import { appendAudit } from './log.js';

describe.each(ENGINES)('audit checkpoints under concurrency on %s', (engine) => {
  let hub: TestHub;
  let db: Kysely<Database>;
  beforeAll(async () => {
    hub = await buildTestHub(engine, { checkpointEvery: 3 });
    db = hub.app.hub.store.db;
  });
  afterAll(async () => hub.close());

  const headSeq = async () => (await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;
  const stored = () => db.selectFrom('audit_checkpoints').selectAll().orderBy('size').execute();

  it('stores one checkpoint when many sign the same size at once, and all get it', async () => {
    expect(await stored()).toEqual([]);
    const results = await Promise.all(Array.from({ length: 8 }, () => createCheckpoint(hub.app.hub)));
    const records = results.map((result) => result?.record);
    expect(new Set(records.map((record) => JSON.stringify(record))).size).toBe(1);
    expect(results.filter((result) => result?.created)).toHaveLength(1);
    expect((await stored()).map((row) => row.size)).toEqual([await headSeq()]);
  });

  it('never signs a size that is not committed', async () => {
    const before = await headSeq();
    let signing: ReturnType<typeof createCheckpoint> | undefined;
    const rolledBack = db.transaction().execute(async (trx) => {
      await appendAudit(trx, { hubCode: '350000', engine, now: new Date() }, [
        { type: 'admin', action: 'test', actor: { system: 'test' }, object: 'x', result: 'success' },
      ]);
      // Another connection signs while the append is open (SQLite: it waits for the write lock).
      signing = createCheckpoint(hub.app.hub);
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error('roll back');
    });
    await expect(rolledBack).rejects.toThrow('roll back');
    expect((await signing)?.record.checkpoint.size).toBe(before);
    expect(await headSeq()).toBe(before);
  });

  it('keeps every checkpoint on the chain while writers and signers run together', async () => {
    const writes = Array.from({ length: 24 }, (_, i) =>
      hub.call(hub.tokens.admin, {
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { orgId: department('GAT').id, name: `concurrent ${i}`, roles: ['consumer'] },
      }),
    );
    const signs = Array.from({ length: 6 }, () =>
      hub.call(hub.tokens.auditor, { method: 'POST', url: '/api/v1/audit/checkpoints' }),
    );
    const answers = await Promise.all([...writes, ...signs]);
    expect(answers.slice(0, 24).every((answer) => answer.statusCode === 201)).toBe(true);
    expect(answers.slice(24).every((answer) => [200, 201].includes(answer.statusCode))).toBe(true);
    await maybeCheckpoint(hub.app);
    const rows = await stored();
    const head = await headSeq();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[rows.length - 1]?.size).toBeGreaterThan(head - 3);
    for (const row of rows) {
      const entry = await db
        .selectFrom('audit_entries')
        .select('chain_hash')
        .where('seq', '=', row.size)
        .executeTakeFirst();
      expect(entry?.chain_hash).toBe(row.chain_hash);
    }
    const verified = await hub.call(hub.tokens.auditor, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(verified.json()).toMatchObject({ ok: true, size: head, checkpoints: rows.length });
    const listed = (
      await hub.call(hub.tokens.auditor, { method: 'GET', url: '/api/v1/audit/checkpoints?limit=2' })
    ).json<{ items: CheckpointRecord[]; next: string | null }>();
    expect(listed.items.map((record) => record.checkpoint.size)).toEqual(
      rows.slice(0, 2).map((row) => row.size),
    );
    expect(listed.next).toBe(rows.length > 2 ? String(rows[1]?.size) : null);
  });
});
