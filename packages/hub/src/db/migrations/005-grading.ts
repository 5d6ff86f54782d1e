import type { Kysely, Migration } from 'kysely';

/**
 * Classification and grading (分类分级, issue 9): the platform's grade proposals for published
 * resources, each with the version it was computed on, its reasons, the review decision and
 * what applying it wrote.
 */
export const grading: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('grading_proposals')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('resource_code', 'varchar(64)', (c) => c.notNull())
      .addColumn('org_id', 'varchar(120)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'varchar(68)', (c) => c.notNull())
      .addColumn('declared', 'varchar(16)', (c) => c.notNull())
      .addColumn('proposed', 'varchar(16)', (c) => c.notNull())
      .addColumn('change', 'varchar(8)', (c) => c.notNull())
      .addColumn('decided', 'varchar(16)')
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('sampled_rows', 'integer', (c) => c.notNull())
      .addColumn('review_reason', 'text')
      .addColumn('reviewed_by', 'varchar(64)')
      .addColumn('reviewed_at', 'varchar(32)')
      .addColumn('applied_version', 'integer')
      .addColumn('applied_by', 'varchar(64)')
      .addColumn('applied_at', 'varchar(32)')
      .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('grading_proposals_resource')
      .on('grading_proposals')
      .columns(['resource_code', 'status'])
      .execute();
    await db.schema
      .createIndex('grading_proposals_listing')
      .on('grading_proposals')
      .columns(['created_at', 'id'])
      .execute();
  },
};
