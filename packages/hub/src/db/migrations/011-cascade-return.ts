import type { Kysely, Migration } from 'kysely';

/**
 * The return flow 回流 (docs/cascade-return.md). At the province: subscriptions of child hubs to
 * region-filtered rows, and per subscription the latest change of every row key with its seq
 * (tombstones kept, so a city offline for months still learns of a delete). At the city: its
 * copies, their cursor and verification, and the copied rows.
 */
export const cascadeReturn: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cascade_return_subscriptions')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('child', 'varchar(6)', (c) => c.notNull())
      .addColumn('resource_code', 'varchar(48)', (c) => c.notNull())
      .addColumn('region_item', 'varchar(100)', (c) => c.notNull())
      .addColumn('region_prefix', 'varchar(12)', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('masking', 'varchar(40)', (c) => c.notNull())
      .addColumn('grant_id', 'varchar(64)')
      .addColumn('reason', 'text')
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('head', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cascade_return_log')
      .addColumn('subscription_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('row_key', 'varchar(80)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('change', 'varchar(8)', (c) => c.notNull())
      .addColumn('row', 'text')
      .addColumn('digest', 'varchar(80)')
      .addPrimaryKeyConstraint('cascade_return_log_pk', ['subscription_id', 'row_key'])
      .execute();
    await db.schema
      .createIndex('cascade_return_log_seq')
      .on('cascade_return_log')
      .columns(['subscription_id', 'seq'])
      .execute();
    await db.schema
      .createTable('cascade_return_copies')
      .addColumn('subscription_id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('parent', 'varchar(6)', (c) => c.notNull())
      .addColumn('resource_code', 'varchar(48)', (c) => c.notNull())
      .addColumn('region_item', 'varchar(100)', (c) => c.notNull())
      .addColumn('region_prefix', 'varchar(12)', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('masking', 'varchar(40)', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('cursor', 'integer', (c) => c.notNull())
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('state_digest', 'varchar(80)', (c) => c.notNull())
      .addColumn('parent_head', 'integer', (c) => c.notNull())
      .addColumn('parent_rows', 'integer')
      .addColumn('parent_digest', 'varchar(80)')
      .addColumn('verification', 'varchar(16)', (c) => c.notNull())
      .addColumn('last_sync_at', 'varchar(32)')
      .addColumn('last_error', 'text')
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cascade_return_rows')
      .addColumn('subscription_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('row_key', 'varchar(80)', (c) => c.notNull())
      .addColumn('row', 'text', (c) => c.notNull())
      .addColumn('digest', 'varchar(80)', (c) => c.notNull())
      .addPrimaryKeyConstraint('cascade_return_rows_pk', ['subscription_id', 'row_key'])
      .execute();
  },
};
