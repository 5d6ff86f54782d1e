import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { PoolClient } from 'pg';
import { startCheckpointer } from './checkpointer.js';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

/** An open database and how to close it. */
export interface HubDatabase {
  db: Kysely<Database>;
  /**
   * For reads of committed rows on hot paths that must not queue behind a write transaction:
   * on SQLite a second, read-only connection (WAL lets it read while the writer writes), whose
   * statements run beside the one connection `db` serialises; on PostgreSQL `db` itself.
   */
  reader: Kysely<Database>;
  /**
   * Runs a fixed read on the reader without the query builder: for the few statements every
   * exchange call makes, where building and compiling the query cost more than running it.
   */
  readOne: <Row>(query: HotQuery, params: readonly unknown[]) => Promise<Row | undefined>;
  /** As `readOne`, every row. */
  readAll: <Row>(query: HotQuery, params: readonly unknown[]) => Promise<Row[]>;
  engine: Engine;
  /** Where it is, for messages: a file path, or the URL without its password. */
  location: string;
  /**
   * The SQLite connection itself, for bulk paths (prepared statements in a loop are several times
   * faster than Kysely's multi-row inserts); it is the connection Kysely's transactions run on.
   */
  sqlite?: SQLite.Database;
  /**
   * PostgreSQL: one pooled connection of the raw driver for `work` (COPY needs the connection
   * itself); `work` ends any transaction it begins.
   */
  withClient?<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A fixed SQL text with `?` placeholders, named for PostgreSQL's per-connection prepared statements. */
export interface HotQuery {
  name: string;
  text: string;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the hot texts hold no `?` in literals). */
const postgresTexts = new Map<string, string>();
function postgresText(text: string): string {
  let converted = postgresTexts.get(text);
  if (converted === undefined) {
    let n = 0;
    converted = text.replace(/\?/g, () => `$${(n += 1)}`);
    postgresTexts.set(text, converted);
  }
  return converted;
}

/** Options to open the hub's database. */
export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; SQLite in `dataDir` when absent. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** Prepared statements kept per connection: the hot paths repeat a few dozen SQL texts. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The connection as Kysely sees it, with its statements prepared once per SQL text instead of
 * on every query (preparing was a tenth of an exchange call's CPU). Least recently used texts
 * are dropped; a statement still being iterated by a stream is not shared but prepared afresh.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    /** The statement of a hot read, first row only. */
    get<Row>(text: string, params: readonly unknown[]): Row | undefined {
      return this.prepare(text).get(...params) as Row | undefined;
    },
    all<Row>(text: string, params: readonly unknown[]): Row[] {
      return this.prepare(text).all(...params) as Row[];
    },
    prepare(text: string): SQLite.Statement {
      const cached = cache.get(text);
      if (cached) {
        if (cached.busy) return sqlite.prepare(text);
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

function openSqlite(dataDir: string): HubDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'hub.sqlite');
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the writer; NORMAL sync is durable at checkpoints in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  // Opened after the writer has switched the file to WAL, which a read-only connection cannot do.
  const readOnly = new SQLite(file, { readonly: true });
  readOnly.pragma('busy_timeout = 5000');
  const readStatements = withStatementCache(readOnly);
  const reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: readStatements }) });
  const readOne = <Row>(query: HotQuery, params: readonly unknown[]) =>
    Promise.resolve(readStatements.get<Row>(query.text, params));
  const readAll = <Row>(query: HotQuery, params: readonly unknown[]) =>
    Promise.resolve(readStatements.all<Row>(query.text, params));
  const checkpointer = startCheckpointer(sqlite, file);
  const close = async () => {
    await checkpointer.close();
    await reader.destroy();
    await db.destroy();
  };
  return { db, reader, readOne, readAll, engine: 'sqlite', location: file, sqlite, close };
}

async function openPostgres(url: string, poolSize: number): Promise<HubDatabase> {
  // pg is loaded only when PostgreSQL is used: the embedded default starts faster without it.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server closes (restart, failover, a dropped test database) must
  // not crash the hub: the pool drops it and the next query opens a new one.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const readAll = async <Row>(query: HotQuery, params: readonly unknown[]) => {
    const result = await pool.query({
      name: query.name,
      text: postgresText(query.text),
      values: [...params],
    });
    return result.rows as Row[];
  };
  const readOne = async <Row>(query: HotQuery, params: readonly unknown[]) =>
    (await readAll<Row>(query, params))[0];
  const withClient = async <T>(work: (client: PoolClient) => Promise<T>) => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      // A connection that failed mid-work is closed, not handed to the next caller.
      client.release(failure);
    }
  };
  return {
    db,
    reader: db,
    readOne,
    readAll,
    withClient,
    engine: 'postgres',
    location: withoutPassword(url),
    close: () => db.destroy(),
  };
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded SQLite file. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<HubDatabase> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openSqlite(options.dataDir);
}
