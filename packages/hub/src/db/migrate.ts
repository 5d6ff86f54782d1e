import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { initial } from './migrations/001-initial.js';
import { aggregation } from './migrations/002-aggregation.js';
import { sharing } from './migrations/003-sharing.js';
import { exchange } from './migrations/004-exchange.js';
import { grading } from './migrations/005-grading.js';
import { escalation } from './migrations/007-escalation.js';
import { cascade } from './migrations/008-cascade.js';
import { cascadeFeed } from './migrations/009-cascade-feed.js';
import { cascadeRouting } from './migrations/010-cascade-routing.js';
import { cascadeReturn } from './migrations/011-cascade-return.js';
import { cascadeSearch } from './migrations/013-cascade-search.js';
import { stagedRows } from './migrations/014-staged-rows.js';
import { nonceLog } from './migrations/015-nonce-log.js';
import type { Database } from './schema.js';

/** Every migration, in order. One set serves both engines. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-aggregation': aggregation,
  '003-sharing': sharing,
  '004-exchange': exchange,
  '005-grading': grading,
  '007-escalation': escalation,
  '008-cascade': cascade,
  '009-cascade-feed': cascadeFeed,
  '010-cascade-routing': cascadeRouting,
  '011-cascade-return': cascadeReturn,
  '013-cascade-search': cascadeSearch,
  '014-staged-rows': stagedRows,
  '015-nonce-log': nonceLog,
};

/** Thrown when the schema cannot be brought up to date; nothing after the failed step ran. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
    migrationTableName: 'minjiang_migrations',
    migrationLockTableName: 'minjiang_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((step) => step.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`Migration ${failed} failed: ${(result.error as Error).message}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((step) => step.status === 'Success').map((step) => step.migrationName);
}
