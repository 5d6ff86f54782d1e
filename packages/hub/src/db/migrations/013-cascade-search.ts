import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Search over the federated entries a province holds (docs/cascade-api.md "Feed": entries shown
 * at the province with their origin). The same character unigram/bigram and word postings as
 * `catalog_terms` (modules/catalog/search.ts), kept apart from them: a federated entry is not a
 * catalog resource of this hub, and the catalog's own search must never return one as if it were.
 * `search_text` confirms a candidate by substring, as the catalog's own search does.
 */
export const cascadeSearch: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema.alterTable('cascade_entries').addColumn('search_text', 'text').execute();
    await db.schema
      .createTable('cascade_entry_terms')
      .addColumn('term', 'varchar(32)', (c) => c.notNull())
      .addColumn('object', 'varchar(160)', (c) => c.notNull())
      .addPrimaryKeyConstraint('cascade_entry_terms_pk', ['term', 'object'])
      // On SQLite the postings are the primary-key b-tree itself, as for catalog_terms.
      .$call((builder) => (postgres ? builder : builder.modifyEnd(sql`without rowid`)))
      .execute();
    await db.schema
      .createIndex('cascade_entry_terms_object')
      .on('cascade_entry_terms')
      .column('object')
      .execute();
  },
};
