import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Byte order on both engines (see 001): keys and codes page and merge in one order. */
function bytewise(db: Kysely<unknown>, type: string) {
  return isPostgres(db) ? sql.raw(`${type} collate "C"`) : sql.raw(type);
}

/**
 * Data aggregation and governance: staged submissions and their chunks, the row store, per
 * resource statistics for quality scores, problem tickets, their records and their history, and
 * named counters (problem record numbers).
 */
export const aggregation: Migration = {
  async up(db: Kysely<unknown>) {
    const code = bytewise(db, 'varchar(48)');
    await db.schema
      .createTable('data_submissions')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('resource_code', code, (c) => c.notNull().references('catalog_resources.code'))
      .addColumn('org_id', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('resource_version', 'integer', (c) => c.notNull())
      .addColumn('mode', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('header', 'text', (c) => c.notNull())
      .addColumn('file_name', 'varchar(255)')
      .addColumn('declared_rows', 'integer')
      .addColumn('chunk_rows', 'integer')
      .addColumn('result', 'text')
      .addColumn('created_by', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('committed_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('data_submissions_resource')
      .on('data_submissions')
      .columns(['resource_code', 'created_at'])
      .execute();
    await db.schema
      .createTable('data_chunks')
      .addColumn('submission_id', 'varchar(40)', (c) => c.notNull().references('data_submissions.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('sm3', 'varchar(64)', (c) => c.notNull())
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('body', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('data_chunks_pk', ['submission_id', 'seq'])
      .execute();
    await db.schema
      .createTable('data_rows')
      .addColumn('resource_code', code, (c) => c.notNull())
      .addColumn('row_key', bytewise(db, 'text'), (c) => c.notNull())
      .addColumn('row', 'text', (c) => c.notNull())
      .addColumn('row_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('submission_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('data_rows_pk', ['resource_code', 'row_key'])
      .execute();
    await db.schema
      .createTable('data_stats')
      .addColumn('resource_code', code, (c) => c.primaryKey())
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('last_submission_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('last_commit_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('submitted_rows', 'integer', (c) => c.notNull())
      .addColumn('rejected_rows', 'integer', (c) => c.notNull())
      .addColumn('duplicate_rows', 'integer', (c) => c.notNull())
      .addColumn('filled_cells', 'bigint', (c) => c.notNull())
      .addColumn('checked_cells', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('problem_tickets')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('resource_code', code, (c) => c.notNull())
      .addColumn('org_id', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('submission_id', 'varchar(40)')
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('deadline', 'varchar(32)', (c) => c.notNull())
      .addColumn('records_total', 'integer', (c) => c.notNull())
      .addColumn('records_open', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('raised_by_org', 'varchar(64)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('closed_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('problem_tickets_org')
      .on('problem_tickets')
      .columns(['org_id', 'status', 'id'])
      .execute();
    await db.schema
      .createIndex('problem_tickets_resource')
      .on('problem_tickets')
      .columns(['resource_code', 'status'])
      .execute();
    await db.schema
      .createTable('problem_records')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('ticket_id', 'varchar(40)', (c) => c.notNull().references('problem_tickets.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('resource_code', code, (c) => c.notNull())
      .addColumn('row_number', 'integer')
      .addColumn('row_key', bytewise(db, 'text'))
      .addColumn('row', 'text', (c) => c.notNull())
      .addColumn('findings', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('correction', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('problem_records_ticket')
      .on('problem_records')
      .columns(['ticket_id', 'seq'])
      .unique()
      .execute();
    await db.schema
      .createIndex('problem_records_resource')
      .on('problem_records')
      .columns(['resource_code', 'status'])
      .execute();
    await db.schema
      .createTable('ticket_events')
      .addColumn('ticket_id', 'varchar(40)', (c) => c.notNull().references('problem_tickets.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('action', 'varchar(32)', (c) => c.notNull())
      .addColumn('from_status', 'varchar(16)')
      .addColumn('to_status', 'varchar(16)', (c) => c.notNull())
      .addColumn('actor_org', 'varchar(64)')
      .addColumn('actor_token', 'varchar(32)')
      .addColumn('reason', 'text')
      .addColumn('at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('ticket_events_pk', ['ticket_id', 'seq'])
      .execute();
    await db.schema
      .createTable('hub_counters')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
  },
};
