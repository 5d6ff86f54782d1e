import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Byte order on both engines (see 001). */
function bytewise(db: Kysely<unknown>, type: string) {
  return isPostgres(db) ? sql.raw(`${type} collate "C"`) : sql.raw(type);
}

const TIME = 'varchar(32)';
const ORG = 'varchar(64)';

/** The history of a workflow object: one row per transition, idempotent on the message id. */
async function eventsTable(db: Kysely<unknown>, table: string, parent: string): Promise<void> {
  await db.schema
    .createTable(table)
    .addColumn('subject_id', 'varchar(64)', (c) => c.notNull().references(`${parent}.id`))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'varchar(64)')
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('from_state', 'varchar(20)')
    .addColumn('to_state', 'varchar(20)', (c) => c.notNull())
    .addColumn('actor_org', ORG)
    .addColumn('actor', 'varchar(40)', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    .addColumn('at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pk`, ['subject_id', 'seq'])
    .execute();
  await db.schema
    .createIndex(`${table}_message`)
    .on(table)
    .columns(['subject_id', 'message_id'])
    .unique()
    .execute();
}

/**
 * Demands and sharing applications (issue 6): applications and their history, the grants
 * approvals issue and the credentials bound to them, demands and their history, and webhooks
 * with the outbox their notifications wait in.
 */
export const sharing: Migration = {
  async up(db: Kysely<unknown>) {
    const code = bytewise(db, 'varchar(48)');
    await db.schema
      .createTable('applications')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(8)', (c) => c.notNull())
      .addColumn('resource_code', code, (c) => c.notNull().references('catalog_resources.code'))
      .addColumn('resource_version', 'integer', (c) => c.notNull())
      .addColumn('provider_org', ORG, (c) => c.notNull().references('organisations.id'))
      .addColumn('applicant_org', ORG, (c) => c.notNull().references('organisations.id'))
      .addColumn('share_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('offer', 'text')
      .addColumn('grant_id', 'varchar(64)')
      .addColumn('reason', 'text')
      .addColumn('final', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('deadline', TIME)
      .addColumn('breached_at', TIME)
      .addColumn('created_by', 'varchar(40)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('updated_at', TIME, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('applications_applicant')
      .on('applications')
      .columns(['applicant_org', 'created_at'])
      .execute();
    await db.schema
      .createIndex('applications_provider')
      .on('applications')
      .columns(['provider_org', 'created_at'])
      .execute();
    await db.schema.createIndex('applications_deadline').on('applications').columns(['deadline']).execute();
    await eventsTable(db, 'application_events', 'applications');
    await db.schema
      .createTable('grants')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('application_id', 'varchar(64)', (c) => c.notNull().references('applications.id'))
      .addColumn('assigner_org', ORG, (c) => c.notNull())
      .addColumn('assignee_org', ORG, (c) => c.notNull())
      .addColumn('resource_code', code, (c) => c.notNull())
      .addColumn('resource_version', 'integer', (c) => c.notNull())
      .addColumn('mode', 'varchar(8)', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('purpose_code', 'varchar(64)', (c) => c.notNull())
      .addColumn('masking', 'varchar(32)', (c) => c.notNull())
      .addColumn('row_filter', 'text')
      .addColumn('per_day', 'integer')
      .addColumn('per_second', 'integer')
      .addColumn('valid_from', TIME, (c) => c.notNull())
      .addColumn('valid_to', TIME, (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('envelope', 'text', (c) => c.notNull())
      .addColumn('issued_at', TIME, (c) => c.notNull())
      .addColumn('updated_at', TIME, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('grants_assignee').on('grants').columns(['assignee_org']).execute();
    await db.schema
      .createTable('grant_credentials')
      .addColumn('app_key', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('grant_id', 'varchar(64)', (c) => c.notNull().references('grants.id'))
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_by', 'varchar(40)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('revoked_at', TIME)
      .execute();
    await db.schema
      .createIndex('grant_credentials_grant')
      .on('grant_credentials')
      .columns(['grant_id', 'status'])
      .execute();
    await db.schema
      .createTable('demands')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('requester_org', ORG, (c) => c.notNull().references('organisations.id'))
      .addColumn('provider_org', ORG)
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('resource_code', code)
      .addColumn('reason', 'text')
      .addColumn('deadline', TIME)
      .addColumn('breached_at', TIME)
      .addColumn('created_by', 'varchar(40)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('updated_at', TIME, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('demands_deadline').on('demands').columns(['deadline']).execute();
    await eventsTable(db, 'demand_events', 'demands');
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('org_id', ORG, (c) => c.notNull().references('organisations.id'))
      .addColumn('url', 'varchar(2000)', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('platform', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'varchar(40)', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('disabled_at', TIME)
      .execute();
    await db.schema
      .createTable('notification_outbox')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('webhook_id', 'varchar(40)', (c) => c.notNull().references('webhooks.id'))
      .addColumn('event_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', TIME, (c) => c.notNull())
      .addColumn('locked_until', TIME)
      .addColumn('last_error', 'text')
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('delivered_at', TIME)
      .execute();
    await db.schema
      .createIndex('notification_outbox_due')
      .on('notification_outbox')
      .columns(['status', 'next_attempt_at'])
      .execute();
  },
};
