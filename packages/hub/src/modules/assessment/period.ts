/**
 * The period of an assessment (考核周期), read in China time (Asia/Shanghai, UTC+8 all year):
 * a year `2026`, a quarter `2026-Q4`, a month `2026-11`, or explicit dates `from`–`to` (both
 * inclusive). It becomes a half-open range of instants [from, to) in UTC, which is how every
 * time the hub stores compares, and the China days it covers (grant usage is counted per day).
 */
import type { Lang } from '@minjiang/standards';
import { HubError } from '../../errors.js';

export interface AssessmentPeriod {
  /** `2026-Q4`, `2026-11`, `2026`, or `2026-10-01..2026-12-31`. */
  label: string;
  /** The first instant, ISO UTC (00:00 China time of the first day). */
  from: string;
  /** The first instant after the period, ISO UTC. */
  to: string;
  /** The first and last China days, YYYY-MM-DD, inclusive. */
  firstDay: string;
  lastDay: string;
}

export interface PeriodQuery {
  period?: string;
  from?: string;
  to?: string;
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const TEXT = {
  shape: {
    'zh-CN': '考核周期“{found}”的格式不正确',
    en: 'the assessment period "{found}" is not in a known form',
  },
  shapeHint: {
    'zh-CN': '用年（2026）、季度（2026-Q4）、月份（2026-11），或同时给出 from 和 to 日期（YYYY-MM-DD）。',
    en: 'Give a year (2026), a quarter (2026-Q4), a month (2026-11), or both from and to dates (YYYY-MM-DD).',
  },
  date: { 'zh-CN': '“{found}”不是有效日期', en: '"{found}" is not a valid date' },
  order: { 'zh-CN': '起始日期 {from} 晚于结束日期 {to}', en: 'from {from} is after to {to}' },
  orderHint: { 'zh-CN': '交换 from 和 to。', en: 'Swap from and to.' },
  which: {
    'zh-CN': '请给出 period，或同时给出 from 和 to（二者不能同时使用）',
    en: 'give period, or both from and to (not both kinds)',
  },
} as const;

type TextKey = keyof typeof TEXT;

function text(key: TextKey, lang: Lang, values: Record<string, string> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? '');
}

/** A 400 whose issue says where, what was found, what is expected and how to fix it. */
function periodError(lang: Lang, location: string, message: string, hint: string, found: string): HubError {
  const expected = 'YYYY | YYYY-Qn | YYYY-MM | from=YYYY-MM-DD&to=YYYY-MM-DD';
  return new HubError(
    'HUB_ERR_BAD_REQUEST',
    { detail: `${location} ${message}` },
    { issues: [{ code: 'ASM-001', severity: 'error', location, message, hint, expected, found }] },
  );
}

function validDate(value: string): boolean {
  const match = DATE.exec(value);
  return match !== null && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

function shift(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** [first day, day after the last) of a labelled period, or null when the label is not one. */
function labelled(label: string): [string, string] | null {
  const year = /^(\d{4})$/.exec(label);
  if (year) return [`${year[1]}-01-01`, `${Number(year[1]) + 1}-01-01`];
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) {
    const [y, q] = [Number(quarter[1]), Number(quarter[2])];
    const month = (n: number) => String(n).padStart(2, '0');
    return [`${y}-${month(3 * q - 2)}-01`, q === 4 ? `${y + 1}-01-01` : `${y}-${month(3 * q + 1)}-01`];
  }
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    return [`${label}-01`, m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`];
  }
  return null;
}

/** 00:00 China time of a day, as an ISO instant in UTC. */
function chinaMidnight(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS).toISOString();
}

function range(label: string, first: string, next: string): AssessmentPeriod {
  return {
    label,
    from: chinaMidnight(first),
    to: chinaMidnight(next),
    firstDay: first,
    lastDay: shift(next, -1),
  };
}

/** The period a query names; a 400 with an ASM-001 issue when it names none or a bad one. */
export function parsePeriod(query: PeriodQuery, lang: Lang): AssessmentPeriod {
  const explicit = query.from !== undefined || query.to !== undefined;
  if (query.period !== undefined && !explicit) {
    const bounds = labelled(query.period);
    if (!bounds)
      throw periodError(
        lang,
        'querystring:/period',
        text('shape', lang, { found: query.period }),
        text('shapeHint', lang),
        query.period,
      );
    return range(query.period, bounds[0], bounds[1]);
  }
  if (query.period !== undefined || query.from === undefined || query.to === undefined) {
    const found = JSON.stringify(query);
    throw periodError(lang, 'querystring', text('which', lang), text('shapeHint', lang), found);
  }
  for (const [name, value] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (!validDate(value))
      throw periodError(
        lang,
        `querystring:/${name}`,
        text('date', lang, { found: value }),
        text('shapeHint', lang),
        value,
      );
  }
  if (query.from > query.to)
    throw periodError(
      lang,
      'querystring:/from',
      text('order', lang, { from: query.from, to: query.to }),
      text('orderHint', lang),
      `${query.from}..${query.to}`,
    );
  return range(`${query.from}..${query.to}`, query.from, shift(query.to, 1));
}
