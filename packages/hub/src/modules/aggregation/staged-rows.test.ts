import { describe, expect, it } from 'vitest';
import { ENGINES, freshStore } from '../../../test-utils/hub.js';
import { migrateToLatest } from '../../db/migrate.js';
import { storeStaged, writeStaged } from './staged-rows.js';

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
