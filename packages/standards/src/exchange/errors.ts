import type { CodeTable } from '../codes/code-table.js';
import { loadPackageJson } from '../internal/data.js';
import type { Lang } from '../issues.js';

/**
 * The CLI. and HUB. error codes of SES-API r1 (exchange.md §8.3) as data: codes/exchange-error.json,
 * a code table, so the hub, the SDK and other languages read one list. Loaded on first use.
 */

export type ExchangeErrorOrigin = 'CLI' | 'HUB';

export interface ExchangeErrorDef {
  code: string;
  httpStatus: number;
  origin: ExchangeErrorOrigin;
  zh: string;
  en: string;
  hintZh: string;
  hintEn: string;
}

interface ExchangeErrorRow {
  code: string;
  label: string;
  labelEn: string;
  httpStatus: number;
  origin: ExchangeErrorOrigin;
  hintZh: string;
  hintEn: string;
}

let byCode: ReadonlyMap<string, ExchangeErrorDef> | undefined;

/** Every CLI. and HUB. code with its HTTP status, origin, msg and hint in both languages. */
export function exchangeErrors(): ReadonlyMap<string, ExchangeErrorDef> {
  if (byCode === undefined) {
    const table = loadPackageJson<CodeTable>('codes/exchange-error.json');
    const rows = table.data as unknown as ExchangeErrorRow[];
    byCode = new Map(
      rows.map(({ label, labelEn, ...row }) => [row.code, Object.freeze({ ...row, zh: label, en: labelEn })]),
    );
  }
  return byCode;
}

/** One code's definition; undefined for a code §8.3 does not list (PRV. codes among them). */
export function exchangeError(code: string): ExchangeErrorDef | undefined {
  return exchangeErrors().get(code);
}

/**
 * The body of an error answer (exchange/error-1.0): code, msg in the language asked for, hint,
 * HTTP status and origin. Throws for a code that is not in the table, so a typo fails loudly.
 */
export function exchangeErrorBody(
  code: string,
  requestId: string,
  lang: Lang = 'zh-CN',
): {
  code: string;
  msg: string;
  requestId: string;
  httpStatus: number;
  origin: ExchangeErrorOrigin;
  hint: string;
} {
  const def = exchangeError(code);
  if (def === undefined) throw new Error(`Unknown exchange error code ${code}`);
  const en = lang === 'en';
  return {
    code,
    msg: en ? def.en : def.zh,
    requestId,
    httpStatus: def.httpStatus,
    origin: def.origin,
    hint: en ? def.hintEn : def.hintZh,
  };
}
