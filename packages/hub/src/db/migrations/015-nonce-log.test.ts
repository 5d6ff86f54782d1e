import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, freshStore } from '../../../test-utils/hub.js';
import { MIGRATIONS } from '../migrate.js';

describe.each(ENGINES)('migration 015 (the nonce log) on %s', (engine) => {
  it('keeps the nonces of the replay window, and drops their unique key on SQLite only', async () => {
    const { store, dispose } = await freshStore(engine);
    try {
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
        migrationTableName: 'minjiang_migrations',
        migrationLockTableName: 'minjiang_migrations_lock',
      });
      expect((await migrator.migrateTo('014-staged-rows')).error).toBeUndefined();
      const nonce = { keyid: 'ak_0001', nonce: 'n-1', expires_at: '2026-01-01T00:10:00.000Z' };
      await store.db.insertInto('ses_nonces').values(nonce).execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await store.db.selectFrom('ses_nonces').selectAll().execute()).toEqual([nonce]);
      const again = sql`insert into ses_nonces (keyid, nonce, expires_at) values ('ak_0001', 'n-1', '2026-01-01T00:20:00.000Z')`;
      if (engine === 'sqlite') {
        await again.execute(store.db);
        expect(await store.db.selectFrom('ses_nonces').selectAll().execute()).toHaveLength(2);
      } else {
        await expect(again.execute(store.db)).rejects.toThrow(/duplicate key/);
      }
    } finally {
      await dispose();
    }
  });
});
