/** What a cell check reports, and the pieces the rule modules share. */
import type { CatalogResource } from '../generated/types.js';

export type DataItem = NonNullable<CatalogResource['items']>[number];
export type DataLang = 'zh-CN' | 'en';

export interface CellProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  /** The corrected value, when one can be derived. */
  fix?: string;
}

export type CellCheck = (raw: string) => CellProblem | undefined;

export type Say = (zh: string, en: string) => string;

export function sayer(lang: DataLang): Say {
  return lang === 'en' ? (_zh, en) => en : (zh) => zh;
}

/** A type rule: undefined when valid, else the problem (maybe with a reformatted fix). */
export type TypeRule = (value: string) => CellProblem | undefined;

export function problem(code: string, message: string, hint?: string, fix?: string): CellProblem {
  return {
    code,
    severity: 'error',
    message,
    ...(hint ? { hint } : {}),
    ...(fix !== undefined ? { fix } : {}),
  };
}
