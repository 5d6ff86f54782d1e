import type { Kysely, Migration } from 'kysely';

/**
 * Cascade routing of sharing applications (docs/cascade-routing.md): the routed applications kept
 * where the consumer applied, the province's relay routes, the owner's map of remote applications
 * and applicant organisations, credentials of routed grants, and the durable outbox and inbox of
 * hub-to-hub messages (delivered at least once, applied once).
 */
export const cascadeRouting: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cascade_routed_applications')
      .addColumn('id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('owner_hub', 'varchar(6)')
      .addColumn('next_hop', 'varchar(6)', (c) => c.notNull())
      .addColumn('applicant_org', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('resource_code', 'varchar(64)', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('state', 'varchar(24)', (c) => c.notNull())
      .addColumn('remote_id', 'varchar(80)')
      .addColumn('via', 'text', (c) => c.notNull())
      .addColumn('remote', 'text')
      .addColumn('grant_id', 'varchar(80)')
      .addColumn('grant_view', 'text')
      .addColumn('refusal', 'text')
      .addColumn('event_seq', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('cascade_routed_applicant')
      .on('cascade_routed_applications')
      .columns(['applicant_org', 'created_at'])
      .execute();
    await db.schema
      .createIndex('cascade_routed_grant')
      .on('cascade_routed_applications')
      .column('grant_id')
      .execute();
    await db.schema
      .createTable('cascade_routes')
      .addColumn('origin_id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('from_hub', 'varchar(6)', (c) => c.notNull())
      .addColumn('to_hub', 'varchar(6)', (c) => c.notNull())
      .addColumn('via', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cascade_remote_applications')
      .addColumn('origin_id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('application_id', 'varchar(80)', (c) => c.notNull().unique())
      .addColumn('reply_to', 'varchar(6)', (c) => c.notNull())
      .addColumn('origin_hub', 'varchar(6)', (c) => c.notNull())
      .addColumn('via', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cascade_remote_organisations')
      .addColumn('org_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('origin_hub', 'varchar(6)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cascade_routed_credentials')
      .addColumn('app_key', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('grant_id', 'varchar(80)', (c) => c.notNull())
      .addColumn('application_id', 'varchar(80)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revoked_at', 'varchar(32)')
      .execute();
    await db.schema
      .createTable('cascade_outbox')
      .addColumn('message_id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('target', 'varchar(6)', (c) => c.notNull())
      .addColumn('path', 'varchar(400)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('subject', 'varchar(80)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('claimed_until', 'varchar(32)')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('delivered_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('cascade_outbox_due')
      .on('cascade_outbox')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createTable('cascade_inbox')
      .addColumn('message_id', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject', 'varchar(80)', (c) => c.notNull())
      .addColumn('received_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },
};
