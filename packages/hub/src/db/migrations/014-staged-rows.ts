import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Rows checked at upload (docs/data-api.md "Submissions"): each chunk is decoded and validated
 * when it arrives and its rows are staged here, in the chunk's own transaction, so the commit is
 * set-based SQL over this table instead of a second decode and a row-by-row write. Accepted rows
 * carry their stored text and SM3; rejected rows their findings. On PostgreSQL the table is
 * UNLOGGED (no WAL: staged rows are written once more at the commit); a server crash empties it,
 * which the commit notices by counting each chunk's rows and asks for those chunks again.
 */
export const stagedRows: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('data_staged_rows')
      .$call((builder) => (postgres ? builder.modifyFront(sql`unlogged`) : builder))
      .addColumn('submission_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('row_number', 'integer', (c) => c.notNull())
      // Byte order as data_rows.row_key (002), so the commit joins the two without a collation.
      .addColumn('row_key', postgres ? sql.raw('text collate "C"') : 'text')
      .addColumn('row', 'text', (c) => c.notNull())
      // Null for a rejected row.
      .addColumn('row_hash', 'varchar(64)')
      .addColumn('filled', 'integer', (c) => c.notNull())
      // JSON array of the row's findings; null for an accepted row.
      .addColumn('findings', 'text')
      // Set at the commit: the earlier row with the same key.
      .addColumn('duplicate_of', 'integer')
      .execute();
    await db.schema
      .createIndex('data_staged_rows_chunk')
      .on('data_staged_rows')
      .columns(['submission_id', 'seq'])
      .execute();
  },
};
