import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { EMPTY_CALENDAR, loadCalendar, type WorkingCalendar } from './modules/governance/calendar.js';

/** Whether this hub is the provincial one or a city hub cascaded under it. */
export type HubRole = 'province' | 'city';

/** Everything a hub needs to start. */
export interface HubConfig {
  /** GB/T 2260 code of the hub's region, e.g. 350000 (province) or 350100 (Fuzhou). */
  hubCode: string;
  role: HubRole;
  /** A city's parent hub: its API base URL (e.g. https://province.example/), when cascaded. */
  parentUrl: string | undefined;
  /** A city's parent hub code (GB/T 2260), when cascaded. */
  parentCode: string | undefined;
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
  /** Working days a responsible organisation has to handle a problem ticket (default 5). */
  problemDeadlineDays: number;
  /** Path of the holiday calendar file (`{ holidays: [], workdays: [] }`), when one is set. */
  holidayCalendar: string | undefined;
  /** The holiday calendar read from `holidayCalendar` (weekends only when none is set). */
  calendar: WorkingCalendar;
  /** Weights of the quality dimensions in the score (default equal). */
  qualityWeights: QualityWeights;
  /** Working days each party has for its step of a demand or an application. */
  deadlineDays: DeadlineDays;
  /** Seconds between runs of the hub's scheduler (deadlines, webhook deliveries); 0 turns it off. */
  schedulerInterval: number;
  /**
   * Working days a problem ticket may stay overdue after its deadline (escalation level 1) before
   * it is escalated again (level 2); 0 means one level only.
   */
  ticketEscalationDays: number;
  /** Weights of the assessment (考核评价) indicators in the total; they add up to 1 (docs/assessment.md). */
  assessmentWeights: AssessmentWeights;
  /** Path of the grading policy (governance/grading-policy-1.0); the shipped Zhejiang-style example when unset. */
  gradingPolicy: string | undefined;
  /** Path of a grading rule set (docs/grading.md); the rules shipped with the standards when unset. */
  gradingRules: string | undefined;
  /** Most recent submitted values per item the grading detectors look at (default 200). */
  gradingSample: number;
  /** Seconds between the province's pulls of each approved child's feed; 0 turns them off (docs/cascade-api.md). */
  cascadeSyncInterval: number;
  /** Share of a child's live entries one sync may remove before an admin must confirm (default 0.1). */
  cascadeMaxRemovalShare: number;
  /** Removals that never need confirmation, whatever the share (default 1). */
  cascadeRemovalAllowance: number;
  /** Most feed pages one sync of the change feed reads (default 20; a full listing reads to its end). */
  cascadePagesPerSync: number;
  /** Items per feed page the province asks a child for (1–500, default 500). */
  cascadeFeedPageSize: number;
  /** Least seconds between a city's nudges of its parent (default 2); 0: the city never nudges. */
  cascadeNudgeGap: number;
  /** Seconds a relayed exchange call waits for the next hub's answer to start (default 15; docs/cascade-relay.md). */
  cascadeRelayTimeout: number;
  /** Worker threads that check uploaded data chunks; 0 checks them on the hub's thread (docs/data-api.md). */
  chunkWorkers: number;
}

/** Weights of the six assessment indicators: each ≥ 0, together 1. */
export interface AssessmentWeights {
  catalog: number;
  timeliness: number;
  quality: number;
  tickets: number;
  response: number;
  sharing: number;
}

/**
 * Working days per workflow step (standards.md §4.2; the statutory days are UNCONFIRMED, hence
 * configuration): the platform's 符合性审查 (2), the provider's reply to a 有条件共享
 * application for published data (5), the applicant's answer to an offer (10), the 主管部门's
 * coordination of an escalation (10), a provider's answer to a demand routed to it (10).
 */
export interface DeadlineDays {
  precheck: number;
  providerReview: number;
  offer: number;
  escalation: number;
  demand: number;
}

/** Relative weights of the four quality dimensions; they need not add up to 1. */
export interface QualityWeights {
  completeness: number;
  validity: number;
  uniqueness: number;
  timeliness: number;
}

const DEFAULTS: Omit<
  HubConfig,
  | 'dataDir'
  | 'databaseUrl'
  | 'holidayCalendar'
  | 'calendar'
  | 'gradingPolicy'
  | 'gradingRules'
  | 'parentUrl'
  | 'parentCode'
> = {
  hubCode: '350000',
  role: 'province',
  host: '127.0.0.1',
  port: 8750,
  bodyLimit: 8 * 1024 * 1024,
  batchLimit: 1000,
  checkpointEvery: 1000,
  logLevel: 'info',
  problemDeadlineDays: 5,
  qualityWeights: { completeness: 1, validity: 1, uniqueness: 1, timeliness: 1 },
  deadlineDays: { precheck: 2, providerReview: 5, offer: 10, escalation: 10, demand: 10 },
  schedulerInterval: 30,
  ticketEscalationDays: 5,
  gradingSample: 200,
  cascadeSyncInterval: 30,
  cascadeMaxRemovalShare: 0.1,
  cascadeRemovalAllowance: 1,
  cascadePagesPerSync: 20,
  cascadeFeedPageSize: 500,
  cascadeNudgeGap: 2,
  cascadeRelayTimeout: 15,
  // One core is left to the event loop (and, on a small machine, to the database).
  chunkWorkers: Math.max(1, Math.min(4, availableParallelism() - 1)),
  assessmentWeights: {
    catalog: 0.2,
    timeliness: 0.15,
    quality: 0.2,
    tickets: 0.15,
    response: 0.15,
    sharing: 0.15,
  },
};

/** An optional file setting, made absolute (relative to the working directory). */
function optionalPath(value: string | undefined): string | undefined {
  return value ? resolve(value) : undefined;
}

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

function calendar(path: string | undefined): WorkingCalendar {
  if (!path) return EMPTY_CALENDAR;
  try {
    return loadCalendar(path);
  } catch (error) {
    throw new HubConfigError(`Cannot read the holiday calendar ${path}: ${(error as Error).message}`);
  }
}

/**
 * A map of named numbers from an object or a JSON string (environment): only the given names,
 * each a number ≥ 0 (an integer when `integer`), missing names from the defaults.
 */
function numberMap<T extends { [K in keyof T]: number }>(
  setting: string,
  value: unknown,
  defaults: T,
  integer = false,
): T {
  if (value === undefined || value === '') return defaults;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new HubConfigError(`${setting} must be a JSON object, got "${value}"`);
    }
  }
  const result: Record<string, number> = { ...defaults };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new HubConfigError(`${setting} must be an object {${Object.keys(defaults).join(', ')}}`);
  for (const [name, number] of Object.entries(parsed)) {
    if (!(name in result)) throw new HubConfigError(`${setting} has an unknown member "${name}"`);
    const valid = typeof number === 'number' && Number.isFinite(number) && number >= 0;
    if (!valid || (integer && !Number.isInteger(number)))
      throw new HubConfigError(
        `${setting}.${name} must be ${integer ? 'an integer' : 'a number'} ≥ 0, got "${String(number)}"`,
      );
    result[name] = number;
  }
  return result as T;
}

/** A share between 0 and 1 (environment text or a number). */
function share(name: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1)
    throw new HubConfigError(`${name} must be a number from 0 to 1, got "${String(value)}"`);
  return parsed;
}

/** Weights of the quality score: every weight ≥ 0, not all 0. */
function weights(value: unknown): QualityWeights {
  const result = numberMap('qualityWeights', value, DEFAULTS.qualityWeights);
  if (Object.values(result).every((weight) => weight === 0))
    throw new HubConfigError('qualityWeights cannot all be 0');
  return result;
}

/** Assessment weights: each ≥ 0 and together 1 (to 6 places), so the total stays on 0–100. */
function assessmentWeights(value: unknown): AssessmentWeights {
  const result = numberMap('assessmentWeights', value, DEFAULTS.assessmentWeights);
  const sum = (Object.values(result) as number[]).reduce((total, weight) => total + weight, 0);
  if (Math.abs(sum - 1) > 1e-6)
    throw new HubConfigError(
      `assessmentWeights must add up to 1, got ${Number(sum.toFixed(6))}: scale them so that they do`,
    );
  return result;
}

/** A city's parent: both or neither, a 6-digit code and an http(s) URL without credentials. */
function parent(
  url: string | undefined,
  code: string | undefined,
): Pick<HubConfig, 'parentUrl' | 'parentCode'> {
  const parentUrl = url || undefined;
  const parentCode = code || undefined;
  if ((parentUrl === undefined) !== (parentCode === undefined))
    throw new HubConfigError('parentUrl and parentCode go together: set both (a city hub) or neither');
  if (parentCode !== undefined && !/^[1-9][0-9]{5}$/.test(parentCode))
    throw new HubConfigError(`parentCode must be a 6-digit GB/T 2260 code, got "${parentCode}"`);
  if (parentUrl !== undefined && !/^https?:\/\/[^/@\s]+(\/\S*)?$/.test(parentUrl))
    throw new HubConfigError(`parentUrl must be an http(s) URL without user or password, got "${parentUrl}"`);
  return { parentUrl, parentCode };
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
  const holidayCalendar =
    pick<'holidayCalendar'>('holidayCalendar', 'MINJIANG_HOLIDAY_CALENDAR') || undefined;
  if (role !== 'province' && role !== 'city')
    throw new HubConfigError(`role must be province or city, got "${role}"`);
  const hubCode = String(pick('hubCode', 'MINJIANG_HUB_CODE') ?? DEFAULTS.hubCode);
  if (!/^[1-9][0-9]{5}$/.test(hubCode))
    throw new HubConfigError(`hubCode must be a 6-digit GB/T 2260 code, got "${hubCode}"`);
  return {
    hubCode,
    role,
    ...parent(pick('parentUrl', 'MINJIANG_PARENT_URL'), pick('parentCode', 'MINJIANG_PARENT_CODE')),
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
    problemDeadlineDays: integer(
      'problemDeadlineDays',
      pick('problemDeadlineDays', 'MINJIANG_PROBLEM_DEADLINE_DAYS'),
      DEFAULTS.problemDeadlineDays,
    ),
    holidayCalendar: holidayCalendar ? resolve(holidayCalendar) : undefined,
    calendar: overrides.calendar ?? calendar(holidayCalendar ? resolve(holidayCalendar) : undefined),
    qualityWeights: weights(pick('qualityWeights', 'MINJIANG_QUALITY_WEIGHTS')),
    deadlineDays: numberMap(
      'deadlineDays',
      pick('deadlineDays', 'MINJIANG_DEADLINE_DAYS'),
      DEFAULTS.deadlineDays,
      true,
    ),
    schedulerInterval: integer(
      'schedulerInterval',
      pick('schedulerInterval', 'MINJIANG_SCHEDULER_INTERVAL'),
      DEFAULTS.schedulerInterval,
    ),
    ticketEscalationDays: integer(
      'ticketEscalationDays',
      pick('ticketEscalationDays', 'MINJIANG_TICKET_ESCALATION_DAYS'),
      DEFAULTS.ticketEscalationDays,
    ),
    assessmentWeights: assessmentWeights(pick('assessmentWeights', 'MINJIANG_ASSESSMENT_WEIGHTS')),
    gradingPolicy: optionalPath(pick<'gradingPolicy'>('gradingPolicy', 'MINJIANG_GRADING_POLICY')),
    gradingRules: optionalPath(pick<'gradingRules'>('gradingRules', 'MINJIANG_GRADING_RULES')),
    gradingSample: integer(
      'gradingSample',
      pick('gradingSample', 'MINJIANG_GRADING_SAMPLE'),
      DEFAULTS.gradingSample,
    ),
    cascadeSyncInterval: integer(
      'cascadeSyncInterval',
      pick('cascadeSyncInterval', 'MINJIANG_CASCADE_SYNC_INTERVAL'),
      DEFAULTS.cascadeSyncInterval,
    ),
    cascadeMaxRemovalShare: share(
      'cascadeMaxRemovalShare',
      pick('cascadeMaxRemovalShare', 'MINJIANG_CASCADE_MAX_REMOVAL_SHARE'),
      DEFAULTS.cascadeMaxRemovalShare,
    ),
    cascadeRemovalAllowance: integer(
      'cascadeRemovalAllowance',
      pick('cascadeRemovalAllowance', 'MINJIANG_CASCADE_REMOVAL_ALLOWANCE'),
      DEFAULTS.cascadeRemovalAllowance,
    ),
    cascadePagesPerSync: integer(
      'cascadePagesPerSync',
      pick('cascadePagesPerSync', 'MINJIANG_CASCADE_PAGES_PER_SYNC'),
      DEFAULTS.cascadePagesPerSync,
    ),
    cascadeFeedPageSize: Math.min(
      500,
      Math.max(
        1,
        integer(
          'cascadeFeedPageSize',
          pick('cascadeFeedPageSize', 'MINJIANG_CASCADE_FEED_PAGE_SIZE'),
          DEFAULTS.cascadeFeedPageSize,
        ),
      ),
    ),
    cascadeNudgeGap: integer(
      'cascadeNudgeGap',
      pick('cascadeNudgeGap', 'MINJIANG_CASCADE_NUDGE_GAP'),
      DEFAULTS.cascadeNudgeGap,
    ),
    cascadeRelayTimeout: Math.max(
      1,
      integer(
        'cascadeRelayTimeout',
        pick('cascadeRelayTimeout', 'MINJIANG_CASCADE_RELAY_TIMEOUT'),
        DEFAULTS.cascadeRelayTimeout,
      ),
    ),
    chunkWorkers: Math.min(
      16,
      integer('chunkWorkers', pick('chunkWorkers', 'MINJIANG_CHUNK_WORKERS'), DEFAULTS.chunkWorkers),
    ),
  };
}
