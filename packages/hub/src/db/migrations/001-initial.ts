import { GENESIS_CHAIN_HASH } from '@minjiang/standards';
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Resource codes compare byte by byte on both engines (SQLite's only order) whatever the
 * PostgreSQL locale: cursor paging and the merge of list scopes rely on one order, and a locale
 * that skips the "/" of a code would order "…0001/9" after "…00010/1".
 */
function codeType(db: Kysely<unknown>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql`varchar(48) collate "C"`
    : sql`varchar(48)`;
}

/** Identity, catalog registry with versions and search terms, idempotency, audit log, keys. */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('organisations')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('short_name', 'varchar(100)')
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('uscc', 'varchar(18)', (c) => c.notNull().unique())
      .addColumn('region_code', 'varchar(6)', (c) => c.notNull())
      .addColumn('parent_id', 'varchar(64)', (c) => c.references('organisations.id'))
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('roles', 'varchar(200)', (c) => c.notNull())
      .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)')
      .addColumn('revoked_at', 'varchar(32)')
      .addColumn('last_used_at', 'varchar(32)')
      .execute();
    await db.schema
      .createTable('catalog_resources')
      .addColumn('code', codeType(db), (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(64)', (c) => c.notNull().references('organisations.id'))
      .addColumn('latest_version', 'integer', (c) => c.notNull())
      .addColumn('published_version', 'integer')
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('content_hash', 'varchar(68)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    // Listing by organisation or by status walks the code order, which is the cursor order.
    await db.schema
      .createIndex('catalog_resources_org')
      .on('catalog_resources')
      .columns(['org_id', 'code'])
      .execute();
    await db.schema
      .createIndex('catalog_resources_status')
      .on('catalog_resources')
      .columns(['status', 'code'])
      .execute();
    await db.schema
      .createTable('catalog_versions')
      .addColumn('code', codeType(db), (c) => c.notNull().references('catalog_resources.code'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'varchar(68)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('share_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('open_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('grading', 'varchar(16)', (c) => c.notNull())
      .addColumn('update_cycle', 'varchar(16)', (c) => c.notNull())
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('created_by', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_by', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('status_by', 'varchar(32)')
      .addColumn('status_at', 'varchar(32)')
      .addColumn('reason', 'text')
      .addPrimaryKeyConstraint('catalog_versions_pk', ['code', 'version'])
      .execute();
    // (term, code) serves both the lookup of one term and the GROUP BY code of several. No
    // foreign key: postings are derived rows, rewritten with their resource in one transaction,
    // and a per-row check on tens of thousands of them per batch would double the write time.
    await db.schema
      .createTable('catalog_terms')
      .addColumn('code', codeType(db), (c) => c.notNull())
      .addColumn('term', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('catalog_terms_pk', ['term', 'code'])
      // On SQLite the postings are the primary-key b-tree itself: one tree less to write per term.
      .$call((builder) =>
        db.getExecutor().adapter instanceof PostgresAdapter ? builder : builder.modifyEnd(sql`without rowid`),
      )
      .execute();
    await db.schema.createIndex('catalog_terms_code').on('catalog_terms').column('code').execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('token_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('key', 'varchar(128)', (c) => c.notNull())
      .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('status_code', 'integer', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['token_id', 'key'])
      .execute();
    await db.schema
      .createTable('audit_entries')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('time', 'varchar(32)', (c) => c.notNull())
      .addColumn('leaf', 'text', (c) => c.notNull())
      .addColumn('leaf_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('chain_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('actor', 'varchar(64)', (c) => c.notNull())
      .addColumn('org_id', 'varchar(64)')
      .addColumn('action', 'varchar(64)', (c) => c.notNull())
      .addColumn('object', 'varchar(200)')
      .addColumn('result', 'varchar(32)', (c) => c.notNull())
      .execute();
    // The auditor's filters page by seq within one actor, organisation or object, or by time.
    for (const column of ['actor', 'org_id', 'object'] as const) {
      await db.schema
        .createIndex(`audit_entries_${column}`)
        .on('audit_entries')
        .columns([column, 'seq'])
        .execute();
    }
    await db.schema.createIndex('audit_entries_time').on('audit_entries').column('time').execute();
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('chain_hash', 'varchar(64)', (c) => c.notNull())
      .execute();
    // The head exists from the start, so appenders always lock the same row.
    await sql`insert into audit_head (id, seq, chain_hash) values (1, 0, ${GENESIS_CHAIN_HASH})`.execute(db);
    // One checkpoint per size: the primary key is what stops concurrent signers doubling one.
    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('size', 'integer', (c) => c.primaryKey())
      .addColumn('origin', 'varchar(32)', (c) => c.notNull())
      .addColumn('chain_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('root_hash', 'varchar(44)', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('key_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('signature', 'varchar(200)', (c) => c.notNull())
      .addColumn('merkle_range', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('hub_keys')
      .addColumn('key_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('public_key', 'varchar(200)', (c) => c.notNull())
      .addColumn('private_key', 'varchar(100)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'hub_keys',
      'audit_checkpoints',
      'audit_head',
      'audit_entries',
      'idempotency_keys',
      'catalog_terms',
      'catalog_versions',
      'catalog_resources',
      'api_tokens',
      'organisations',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
