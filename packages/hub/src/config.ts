import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Whether this hub is the provincial one or a city hub cascaded under it. */
export type HubRole = 'province' | 'city';

/** Everything a hub needs to start. */
export interface HubConfig {
  /** GB/T 2260 code of the hub's region, e.g. 350000 (province) or 350100 (Fuzhou). */
  hubCode: string;
  role: HubRole;
  /** Where the embedded database and keys live. */
  dataDir: string;
  /** PostgreSQL connection string; when absent the hub uses SQLite in dataDir. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Largest number of resources in one batch request. */
  batchLimit: number;
  /** Audit checkpoints are signed after this many entries, or on request. */
  checkpointEvery: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const DEFAULTS: Omit<HubConfig, 'dataDir' | 'databaseUrl'> = {
  hubCode: '350000',
  role: 'province',
  host: '127.0.0.1',
  port: 8750,
  bodyLimit: 8 * 1024 * 1024,
  batchLimit: 1000,
  checkpointEvery: 1000,
  logLevel: 'info',
};

/** Thrown for a configuration a hub cannot start with; the message says what to fix. */
export class HubConfigError extends Error {
  override name = 'HubConfigError';
}

function integer(name: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new HubConfigError(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

function readConfigFile(path: string | undefined): Partial<HubConfig> {
  if (!path || !existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<HubConfig>;
  } catch (error) {
    throw new HubConfigError(`Cannot read the hub configuration ${path}: ${(error as Error).message}`);
  }
}

/**
 * Resolves the configuration: explicit overrides, then environment (MINJIANG_*), then the
 * JSON file `hub.json` in the data folder (or MINJIANG_HUB_CONFIG), then defaults.
 */
export function loadConfig(
  overrides: Partial<HubConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): HubConfig {
  const dataDir = resolve(
    overrides.dataDir ?? env.MINJIANG_DATA_DIR ?? join(process.cwd(), '.minjiang', 'hub'),
  );
  const file = readConfigFile(env.MINJIANG_HUB_CONFIG ?? join(dataDir, 'hub.json'));
  const pick = <K extends keyof HubConfig>(key: K, envName: string): HubConfig[K] | string | undefined =>
    overrides[key] ?? env[envName] ?? file[key];
  const role = pick('role', 'MINJIANG_HUB_ROLE') ?? DEFAULTS.role;
  if (role !== 'province' && role !== 'city')
    throw new HubConfigError(`role must be province or city, got "${role}"`);
  const hubCode = String(pick('hubCode', 'MINJIANG_HUB_CODE') ?? DEFAULTS.hubCode);
  if (!/^[1-9][0-9]{5}$/.test(hubCode))
    throw new HubConfigError(`hubCode must be a 6-digit GB/T 2260 code, got "${hubCode}"`);
  return {
    hubCode,
    role,
    dataDir,
    databaseUrl: pick<'databaseUrl'>('databaseUrl', 'MINJIANG_DATABASE_URL') || undefined,
    host: String(pick('host', 'MINJIANG_HOST') ?? DEFAULTS.host),
    port: integer('port', pick('port', 'MINJIANG_PORT'), DEFAULTS.port),
    bodyLimit: integer('bodyLimit', pick('bodyLimit', 'MINJIANG_BODY_LIMIT'), DEFAULTS.bodyLimit),
    batchLimit: integer('batchLimit', pick('batchLimit', 'MINJIANG_BATCH_LIMIT'), DEFAULTS.batchLimit),
    checkpointEvery: integer(
      'checkpointEvery',
      pick('checkpointEvery', 'MINJIANG_CHECKPOINT_EVERY'),
      DEFAULTS.checkpointEvery,
    ),
    logLevel:
      (pick('logLevel', 'MINJIANG_LOG_LEVEL') as HubConfig['logLevel'] | undefined) ?? DEFAULTS.logLevel,
  };
}
