import type { Kysely, Migration } from 'kysely';

/**
 * The cascade feed and sync (docs/cascade-api.md "Feed", "Sync"). `cascade_feed` is the hub's own
 * change feed: one immutable row per published version or tombstone, its seq taken from the
 * `cascade-feed` counter in the publishing transaction (gap-free; an autoincrement could leave
 * holes on rollback, which a reader would take for lost changes). `cascade_entries` are the
 * federated entries a province holds of its children's catalogs, tombstones kept for good, and
 * `cascade_sync` the per-child cursor, health and blocked plan.
 */
export const cascadeFeed: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cascade_feed')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('code', 'varchar(64)', (c) => c.notNull())
      .addColumn('object', 'varchar(160)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('type', 'varchar(16)', (c) => c.notNull())
      .addColumn('published', 'varchar(32)', (c) => c.notNull())
      .addColumn('digest', 'varchar(80)')
      .addColumn('record', 'text')
      .addColumn('reason', 'varchar(16)')
      .addColumn('successor', 'varchar(160)')
      .execute();
    await db.schema
      .createIndex('cascade_feed_object')
      .on('cascade_feed')
      .columns(['object', 'seq'])
      .execute();
    await db.schema.createIndex('cascade_feed_code').on('cascade_feed').columns(['code', 'seq']).execute();
    await db.schema
      .createTable('cascade_entries')
      .addColumn('object', 'varchar(160)', (c) => c.primaryKey())
      .addColumn('origin', 'varchar(6)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('digest', 'varchar(80)')
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('record', 'text')
      .addColumn('resource_code', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(400)')
      .addColumn('reason', 'varchar(16)')
      .addColumn('synced_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('cascade_entries_origin')
      .on('cascade_entries')
      .columns(['origin', 'object'])
      .execute();
    await db.schema
      .createTable('cascade_sync')
      .addColumn('hub', 'varchar(6)', (c) => c.primaryKey())
      .addColumn('cursor', 'integer', (c) => c.notNull())
      .addColumn('head', 'integer', (c) => c.notNull())
      .addColumn('last_sync_at', 'varchar(32)')
      .addColumn('last_error', 'text')
      .addColumn('blocked', 'text')
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },
};
