import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

/**
 * The sharing-exchange API (issue 7): nonces remembered for the replay window, calls counted per
 * grant and China day for the daily quota, and the file packages built under grants.
 */
export const exchange: Migration = {
  async up(db: Kysely<unknown>) {
    const blob = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
    await db.schema
      .createTable('ses_nonces')
      .addColumn('keyid', 'varchar(120)', (c) => c.notNull())
      .addColumn('nonce', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_nonces_pk', ['keyid', 'nonce'])
      .execute();
    await db.schema.createIndex('ses_nonces_expiry').on('ses_nonces').column('expires_at').execute();
    await db.schema
      .createTable('grant_usage')
      .addColumn('grant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('day', 'varchar(10)', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('grant_usage_pk', ['grant_id', 'day'])
      .execute();
    await db.schema
      .createTable('ses_packages')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('grant_id', 'varchar(64)', (c) => c.notNull().references('grants.id'))
      .addColumn('recipient', 'varchar(120)', (c) => c.notNull())
      .addColumn('body', blob, (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('digest', 'varchar(68)', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('completed_at', 'varchar(32)')
      .execute();
  },
};
