import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * SQLite: `ses_nonces` becomes an append-only log without its (keyid, nonce) key. The embedded
 * hub checks the replay window in memory and reads the log back when it opens its database
 * (exchange/release-sqlite.ts); a unique index over random nonces dirtied one random B-tree page
 * a call, which SQLite writes to its WAL at every commit. PostgreSQL, where several hub processes
 * may share the database, keeps the key: it is what refuses a replay there.
 */
export const nonceLog: Migration = {
  async up(db: Kysely<unknown>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) return;
    await sql`alter table ses_nonces rename to ses_nonces_keyed`.execute(db);
    await db.schema
      .createTable('ses_nonces')
      .addColumn('keyid', 'varchar(120)', (c) => c.notNull())
      .addColumn('nonce', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await sql`insert into ses_nonces (keyid, nonce, expires_at)
      select keyid, nonce, expires_at from ses_nonces_keyed order by expires_at`.execute(db);
    await db.schema.dropTable('ses_nonces_keyed').execute();
    await db.schema.createIndex('ses_nonces_expiry').on('ses_nonces').column('expires_at').execute();
  },
};
