import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, freshStore } from '../../../test-utils/hub.js';
import { migrateToLatest } from '../../db/migrate.js';
import { dropStaged, storeStaged, writeStaged } from './staged-rows.js';

const NOW = '2026-11-28T03:00:00.000Z';

function staged(key: string, row: string, rowNumber: number) {
  return {
    submission_id: 'sub_new',
    seq: 1,
    row_number: rowNumber,
    row_key: key,
    row,
    row_hash: `h:${row}`,
    filled: 1,
    findings: null,
    duplicate_of: null,
  };
}

describe.each(ENGINES)('storing the staged rows at a commit on %s', (engine) => {
  it('stores a first load by plain INSERT, and upserts when another commit stored a key meanwhile', async () => {
    const { store, dispose } = await freshStore(engine);
    const stored = () =>
      store.db
        .selectFrom('data_rows')
        .select(['row_key', 'row', 'submission_id'])
        .orderBy('row_key')
        .execute();
    try {
      await migrateToLatest(store.db);
      await store.db
        .insertInto('data_staged_rows')
        .values([
          staged('["k1"]', '{"a":"1"}', 1),
          staged('["k2"]', '{"a":"2"}', 2),
          { ...staged('["k3"]', '{"a":"bad"}', 3), row_hash: null, findings: '[]' },
        ])
        .execute();
      const counts = await store.db
        .transaction()
        .execute((trx) => storeStaged(trx, 'R1', 'sub_new', NOW, { touch: false, accepted: 2 }));
      expect(counts).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
      expect(await stored()).toEqual([
        { row_key: '["k1"]', row: '{"a":"1"}', submission_id: 'sub_new' },
        { row_key: '["k2"]', row: '{"a":"2"}', submission_id: 'sub_new' },
      ]);

      // As if another commit stored k1 after this one counted none: the plain INSERT meets the
      // key, is undone to its savepoint, and the upsert stores both rows in the same transaction.
      await store.db.deleteFrom('data_rows').where('row_key', '=', '["k2"]').execute();
      await store.db
        .updateTable('data_rows')
        .set({ row: '{"a":"old"}', row_hash: 'h:old', submission_id: 'sub_other' })
        .execute();
      await store.db.transaction().execute(async (trx) => {
        await writeStaged(trx, 'R1', 'sub_new', NOW, { touch: false, allNew: true });
        // The transaction is still usable after the rollback to the savepoint.
        await trx.updateTable('data_rows').set({ flagged: 1 }).where('row_key', '=', '["k2"]').execute();
      });
      expect(await stored()).toEqual([
        { row_key: '["k1"]', row: '{"a":"1"}', submission_id: 'sub_new' },
        { row_key: '["k2"]', row: '{"a":"2"}', submission_id: 'sub_new' },
      ]);
      const flagged = await store.db
        .selectFrom('data_rows')
        .select('flagged')
        .where('row_key', '=', '["k2"]')
        .execute();
      expect(flagged).toEqual([{ flagged: 1 }]);
    } finally {
      await dispose();
    }
  });
});

describe.each(ENGINES.filter((engine) => engine === 'postgres'))('dropping staged rows on %s', (engine) => {
  it('keeps the rows of an upload in flight when the table was about to be emptied', async () => {
    const { store, dispose } = await freshStore(engine);
    const staging = () =>
      store.db.selectFrom('data_staged_rows').select('submission_id').orderBy('submission_id').execute();
    try {
      await migrateToLatest(store.db);
      await store.db
        .insertInto('data_staged_rows')
        .values(staged('["k1"]', '{"a":"1"}', 1))
        .execute();
      // Another submission's chunk, staged in a transaction not yet committed: invisible to the
      // first check, so the commit asks for the table's lock and waits for that transaction.
      let inserted!: () => void;
      let release!: () => void;
      const insertedOther = new Promise<void>((resolve) => (inserted = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const upload = store.withClient!(async (client) => {
        await client.query('begin');
        await client.query(
          'insert into data_staged_rows (submission_id, seq, row_number, row_key, row, row_hash, filled) ' +
            "values ('sub_other', 1, 1, '[\"k9\"]', '{}', 'h', 1)",
        );
        inserted();
        await held;
        await client.query('commit');
      });
      await insertedOther;
      const drop = store.db.transaction().execute((trx) => dropStaged(trx, engine, 'sub_new'));
      const waiting = async () =>
        Number(
          (
            await sql<{ n: string }>`select count(*) as n from pg_locks
              where not granted and relation = 'data_staged_rows'::regclass`.execute(store.db)
          ).rows[0]?.n,
        );
      try {
        for (let tries = 0; (await waiting()) === 0 && tries < 100; tries += 1)
          await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await waiting()).toBe(1);
      } finally {
        // Released whatever happened above: a held transaction would hang the store's disposal.
        release();
      }
      await Promise.all([upload, drop]);
      expect(await staging()).toEqual([{ submission_id: 'sub_other' }]);
    } finally {
      await dispose();
    }
  });
});
