import type { Lang } from '@minjiang/standards';
import { MinjiangError } from './core/errors.js';

/**
 * The filter language of bulk review (`minjiang admin review --filter key=value …`): repeatable
 * `key=value` terms, all of which must hold (AND). Each key at most once; what the hub cannot
 * filter (code prefixes, a bare USCC, time bounds) is checked on the listed items.
 */

/** What is reviewed: catalog resources awaiting review, or applications awaiting the platform. */
export type ReviewTargetType = 'resource' | 'application';

export interface ReviewFilter {
  /** resource: `submitted`; application: `PRECHECK` (default) or `ESCALATED`. */
  state: string;
  /** The providing organisation: its id at the hub, or its USCC. */
  org?: { id: string } | { uscc: string };
  /** Applications only: the applying organisation, by id or USCC. */
  applicant?: { id: string } | { uscc: string };
  /** A resource code, or a code prefix when written with a trailing `*`. */
  code?: { value: string; prefix: boolean };
  /** Text: the hub's catalog search for resources; a substring of name, purpose, scenario for applications. */
  q?: string;
  /** ISO instants; last update strictly before / at or after. */
  updatedBefore?: string;
  updatedAfter?: string;
}

const KEYS = ['state', 'org', 'applicant', 'code', 'q', 'updatedBefore', 'updatedAfter'] as const;
type Key = (typeof KEYS)[number];

const STATES: Record<ReviewTargetType, readonly string[]> = {
  resource: ['submitted'],
  application: ['PRECHECK', 'ESCALATED'],
};

/** A `--filter` term that cannot be used; the CLI answers it with exit 2. */
export class ReviewFilterError extends MinjiangError {}

type Bilingual = Record<Lang, string>;

const TEXT = {
  syntax: { 'zh-CN': '筛选条件“{raw}”不是 键=值 的形式', en: 'filter "{raw}" is not key=value' },
  syntaxHint: {
    'zh-CN': '写成 --filter 键=值，例如 --filter org=350000/GOV/<统一社会信用代码>；可用的键：{keys}',
    en: 'Write --filter key=value, e.g. --filter org=350000/GOV/<USCC>; keys: {keys}',
  },
  key: { 'zh-CN': '未知的筛选键“{key}”', en: 'unknown filter key "{key}"' },
  keyHint: { 'zh-CN': '可用的键：{keys}', en: 'Keys: {keys}' },
  repeated: {
    'zh-CN': '筛选键“{key}”出现了不止一次（各条件同时成立，同一键只能给一次）',
    en: 'filter key "{key}" is given more than once (terms are AND-ed; each key once)',
  },
  repeatedHint: {
    'zh-CN': '每个键只保留一个 --filter；要审核多批，分别运行。',
    en: 'Keep one --filter per key; review several sets in several runs.',
  },
  value: {
    'zh-CN': '筛选条件 {key} 的值“{value}”无效，应为{expected}',
    en: 'filter {key}: "{value}" is not {expected}',
  },
  valueHint: { 'zh-CN': '改为 --filter {key}=<{expected}>。', en: 'Use --filter {key}=<{expected}>.' },
  notHere: {
    'zh-CN': '筛选键“{key}”只适用于 --type application',
    en: 'filter key "{key}" applies only to --type application',
  },
  notHereHint: {
    'zh-CN': '去掉该条件，或加 --type application。',
    en: 'Drop it, or add --type application.',
  },
} satisfies Record<string, Bilingual>;

const EXPECTED: Record<Exclude<Key, 'state'>, Bilingual> = {
  org: { 'zh-CN': '机构标识或 18 位统一社会信用代码', en: 'an organisation id or an 18-character USCC' },
  applicant: {
    'zh-CN': '机构标识或 18 位统一社会信用代码',
    en: 'an organisation id or an 18-character USCC',
  },
  code: {
    'zh-CN': '资源代码，或以 * 结尾的代码前缀（如 3350010001/*）',
    en: 'a resource code, or a code prefix ending in * (e.g. 3350010001/*)',
  },
  q: { 'zh-CN': '1–100 个字符的检索词', en: 'search text of 1–100 characters' },
  updatedBefore: {
    'zh-CN': '日期 YYYY-MM-DD（北京时间当日零点）或带时区的 ISO 8601 时间',
    en: 'a date YYYY-MM-DD (midnight, China time) or an ISO 8601 time with its zone',
  },
  updatedAfter: {
    'zh-CN': '日期 YYYY-MM-DD（北京时间当日零点）或带时区的 ISO 8601 时间',
    en: 'a date YYYY-MM-DD (midnight, China time) or an ISO 8601 time with its zone',
  },
};

function fill(text: Bilingual, lang: Lang, params: Record<string, string>): string {
  return text[lang].replace(/\{(\w+)\}/g, (whole, key: string) => params[key] ?? whole);
}

function refuse(
  code: string,
  at: number,
  raw: string,
  lang: Lang,
  [message, hint]: [Bilingual, Bilingual],
  params: Record<string, string>,
): ReviewFilterError {
  return new ReviewFilterError(code, fill(message, lang, params), {
    location: `--filter #${at + 1} (${raw})`,
    hint: fill(hint, lang, params),
  });
}

const ORG_ID = /^[0-9]{6}\/[0-9A-Z]+\/[0-9A-Z]{1,40}$/;
const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const CODE = /^[0-9A-Z][0-9A-Z/]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function organisation(value: string): ReviewFilter['org'] | undefined {
  if (ORG_ID.test(value)) return { id: value };
  const upper = value.toUpperCase();
  return USCC.test(upper) ? { uscc: upper } : undefined;
}

/** A day is its midnight in China (UTC+8): the calendar the hub's deadlines use. */
function instant(value: string): string | undefined {
  const text = DAY.test(value) ? `${value}T00:00:00+08:00` : INSTANT.test(value) ? value : undefined;
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return undefined;
  // Reject days that Date rolls over (2026-02-30 → March 2).
  if (DAY.test(value) && new Date(time + 8 * 3600_000).toISOString().slice(0, 10) !== value) return undefined;
  return new Date(time).toISOString();
}

/** The value of one term, or undefined when it is not one the key takes. */
function valueOf(type: ReviewTargetType, key: Key, value: string): unknown {
  switch (key) {
    case 'state': {
      const wanted = STATES[type].find((state) => state.toLowerCase() === value.toLowerCase());
      return wanted;
    }
    case 'org':
    case 'applicant':
      return organisation(value);
    case 'code': {
      const prefix = value.endsWith('*');
      const code = prefix ? value.slice(0, -1) : value;
      return CODE.test(code) ? { value: code, prefix } : undefined;
    }
    case 'q':
      return value.trim().length > 0 && value.length <= 100 ? value.trim() : undefined;
    case 'updatedBefore':
    case 'updatedAfter':
      return instant(value);
  }
}

function expectedOf(type: ReviewTargetType, key: Key, lang: Lang): string {
  if (key !== 'state') return EXPECTED[key][lang];
  return STATES[type].join(lang === 'en' ? ' or ' : ' 或 ');
}

/** One `key=value` term, checked; `seen` holds the keys already given. */
function term(type: ReviewTargetType, raw: string, at: number, seen: Set<Key>, lang: Lang) {
  const keys = KEYS.join(', ');
  const equals = raw.indexOf('=');
  if (equals <= 0)
    throw refuse('FILTER-SYNTAX', at, raw, lang, [TEXT.syntax, TEXT.syntaxHint], { raw, keys });
  const name = raw.slice(0, equals).trim();
  const key = KEYS.find((known) => known.toLowerCase() === name.toLowerCase());
  if (!key) throw refuse('FILTER-KEY', at, raw, lang, [TEXT.key, TEXT.keyHint], { key: name, keys });
  if (seen.has(key))
    throw refuse('FILTER-REPEATED', at, raw, lang, [TEXT.repeated, TEXT.repeatedHint], { key });
  if (key === 'applicant' && type !== 'application')
    throw refuse('FILTER-KEY', at, raw, lang, [TEXT.notHere, TEXT.notHereHint], { key });
  const text = raw.slice(equals + 1).trim();
  const value = valueOf(type, key, text);
  if (value === undefined) {
    const expected = expectedOf(type, key, lang);
    throw refuse('FILTER-VALUE', at, raw, lang, [TEXT.value, TEXT.valueHint], { key, value: text, expected });
  }
  seen.add(key);
  return { key, value };
}

/** Parses the `--filter` terms of a bulk review; throws ReviewFilterError on the first bad one. */
export function parseReviewFilter(
  type: ReviewTargetType,
  terms: readonly string[],
  lang: Lang = 'zh-CN',
): ReviewFilter {
  const filter: ReviewFilter = { state: STATES[type][0] as string };
  const seen = new Set<Key>();
  terms.forEach((raw, at) => {
    const { key, value } = term(type, raw, at, seen, lang);
    Object.assign(filter, { [key]: value });
  });
  return filter;
}

/** The filter as `key=value` strings again, normalised: what a report says it matched. */
export function describeReviewFilter(filter: ReviewFilter): Record<string, string> {
  const org = (value: ReviewFilter['org']) => (value && 'id' in value ? value.id : value?.uscc);
  const out: Record<string, string | undefined> = {
    state: filter.state,
    org: org(filter.org),
    applicant: org(filter.applicant),
    code: filter.code ? `${filter.code.value}${filter.code.prefix ? '*' : ''}` : undefined,
    q: filter.q,
    updatedBefore: filter.updatedBefore,
    updatedAfter: filter.updatedAfter,
  };
  return Object.fromEntries(
    Object.entries(out).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Whether an organisation id matches an `org` / `applicant` term (a USCC is the id's last part). */
export function matchesOrg(term: ReviewFilter['org'], orgId: string): boolean {
  if (!term) return true;
  return 'id' in term ? orgId === term.id : orgId.split('/').at(-1) === term.uscc;
}

/** Whether a code matches a `code` term. */
export function matchesCode(term: ReviewFilter['code'], code: string): boolean {
  if (!term) return true;
  return term.prefix ? code.startsWith(term.value) : code === term.value;
}

/** Whether a last-update time lies within the `updatedBefore` / `updatedAfter` bounds. */
export function matchesUpdated(filter: ReviewFilter, updatedAt: string | undefined): boolean {
  if (filter.updatedBefore === undefined && filter.updatedAfter === undefined) return true;
  const time = updatedAt === undefined ? Number.NaN : Date.parse(updatedAt);
  if (Number.isNaN(time)) return false;
  if (filter.updatedBefore !== undefined && !(time < Date.parse(filter.updatedBefore))) return false;
  return filter.updatedAfter === undefined || time >= Date.parse(filter.updatedAfter);
}
