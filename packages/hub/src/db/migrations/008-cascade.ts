import type { Kysely, Migration } from 'kysely';

/**
 * The cascade registry (issue 8, docs/cascade-api.md): at a province, the child hubs that asked
 * to register and what was decided; at a city, the parent it registered with and the parent's
 * node key once approval pinned it; on both, the nonces of hub-to-hub requests for the replay
 * window (kept apart from the exchange API's so neither purge touches the other's).
 */
export const cascade: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cascade_children')
      .addColumn('hub', 'varchar(6)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('region', 'varchar(6)', (c) => c.notNull())
      .addColumn('base_url', 'varchar(500)', (c) => c.notNull())
      .addColumn('key_id', 'varchar(120)', (c) => c.notNull())
      .addColumn('public_key', 'varchar(200)', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('reason', 'text')
      // The signed registration envelope as received: the evidence of who asked, with which key.
      .addColumn('registration', 'text', (c) => c.notNull())
      .addColumn('registered_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('decided_at', 'varchar(32)')
      .addColumn('decided_by', 'varchar(64)')
      .execute();
    await db.schema.createIndex('cascade_children_state').on('cascade_children').column('state').execute();
    await db.schema
      .createTable('cascade_parent')
      .addColumn('hub', 'varchar(6)', (c) => c.primaryKey())
      .addColumn('base_url', 'varchar(500)', (c) => c.notNull())
      .addColumn('key_id', 'varchar(120)')
      .addColumn('public_key', 'varchar(200)')
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('registered_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cascade_nonces')
      .addColumn('keyid', 'varchar(120)', (c) => c.notNull())
      .addColumn('nonce', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('cascade_nonces_pk', ['keyid', 'nonce'])
      .execute();
    await db.schema.createIndex('cascade_nonces_expiry').on('cascade_nonces').column('expires_at').execute();
  },
};
