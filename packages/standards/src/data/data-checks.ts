/**
 * The check of one information item's values, compiled once per column: data type and length,
 * code table, standards check. A cell gets at most one problem — the first that applies — so one
 * wrong value does not drown the report. Values are trimmed, and code-like values (numbers, dates,
 * codes, identifiers) also folded from full width, before checking; when only that folding makes
 * a value valid, the problem carries the folded value as its fix.
 */
import { checkOrgCode, checkResidentId, checkUscc, isRegionCode, type CheckResult } from '../checks/index.js';
import { findCode } from '../codes/code-table.js';
import {
  problem,
  sayer,
  type CellCheck,
  type CellProblem,
  type DataItem,
  type DataLang,
  type Say,
  type TypeRule,
} from './cell-problem.js';
import { detached, foldWidth } from './data-values.js';
import { typeRule } from './data-type-rules.js';
import { orgCodeFastPath, residentIdFastPath, usccFastPath } from './fast-paths.js';

export { sayer, type CellCheck, type CellProblem, type DataItem, type DataLang } from './cell-problem.js';

const CHECK_CODES = {
  residentId: 'DATA-RESIDENT-ID',
  uscc: 'DATA-USCC',
  orgCode: 'DATA-ORG-CODE',
  regionCode: 'DATA-REGION-CODE',
} as const;

function standardsRule(item: DataItem, lang: DataLang, say: Say): TypeRule | undefined {
  const check = item.check;
  if (!check) return undefined;
  const code = CHECK_CODES[check];
  if (check === 'regionCode') {
    return (value) =>
      isRegionCode(value)
        ? undefined
        : problem(
            code,
            say(`${value} 不是 GB/T 2260 行政区划代码`, `${value} is not a GB/T 2260 region code`),
          );
  }
  const run: (value: string) => CheckResult =
    check === 'residentId'
      ? (v) => checkResidentId(v, { lang })
      : check === 'uscc'
        ? (v) => checkUscc(v, { lang })
        : (v) => checkOrgCode(v, { lang });
  const fast =
    check === 'residentId' ? residentIdFastPath() : check === 'uscc' ? usccFastPath() : orgCodeFastPath();
  return (value) => {
    if (fast(value)) return undefined;
    const result = run(value);
    if (!result.ok) return problem(code, result.message ?? result.code ?? code);
    // The checks accept lower case (a trailing x); the stored form is upper case. Other
    // normalisations (the hyphen of 12345678-9) are accepted forms, not problems.
    if (
      result.normalized !== undefined &&
      result.normalized !== value &&
      value.toUpperCase() === result.normalized
    ) {
      return problem(
        'DATA-NORMALIZE',
        say(`应写成 ${result.normalized}`, `Must be written ${result.normalized}`),
        undefined,
        result.normalized,
      );
    }
    return undefined;
  };
}

function codeTableRule(item: DataItem, say: Say): TypeRule | undefined {
  const table = item.codeTable;
  if (!table) return undefined;
  return (value) => {
    const entry = findCode(table, value);
    if (!entry)
      return problem(
        'DATA-CODE',
        say(`“${value}”不是码表 ${table} 中的代码`, `"${value}" is not a code of table ${table}`),
        say(`请填写码表 ${table} 中的代码。`, `Use a code of table ${table}.`),
      );
    if (entry.code === value) return undefined;
    return problem(
      'DATA-CODE-LABEL',
      say(`应填写代码 ${entry.code}，而不是“${value}”`, `Must be the code ${entry.code}, not "${value}"`),
      undefined,
      entry.code,
    );
  };
}

/** Memoises a rule over a column with few distinct values (codes, regions); bounded. */
function memo(rule: TypeRule, limit = 20_000): TypeRule {
  const seen = new Map<string, CellProblem | undefined>();
  return (value) => {
    if (seen.has(value)) return seen.get(value);
    const found = rule(value);
    if (seen.size < limit) seen.set(detached(value), found);
    return found;
  };
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x3000 || code === 0xa0 || code === 0x0a || code === 0x0d;
}

function requiredProblem(say: Say): CellProblem {
  return problem(
    'DATA-REQUIRED',
    say('必填信息项为空', 'A required item is empty'),
    say(
      '请补填该值；确实无值的信息项应在目录中设为非必填。',
      'Fill in the value; an item that can be empty must not be required in the catalog.',
    ),
  );
}

/** Compiles the check of one item's values. */
export function compileItemCheck(item: DataItem, lang: DataLang): CellCheck {
  const say = sayer(lang);
  const type = typeRule(item, say);
  const keyed = item.codeTable !== undefined || item.check !== undefined;
  const extra = standardsRule(item, lang, say) ?? codeTableRule(item, say);
  // The code table or check first: a label (男性 for 1) or an identifier gets a more useful
  // finding from them than from the length rule.
  const rules = [extra, type].filter((rule): rule is TypeRule => rule !== undefined);
  // Code tables and regions have few distinct values; identifiers are unique, so no memo.
  const memoised = item.codeTable !== undefined || item.check === 'regionCode';
  const rule: TypeRule = memoised ? memo(firstOf(rules)) : firstOf(rules);
  const folds = keyed || !['C', 'M', 'G'].includes(item.dataType);
  const required = item.required === true || item.isKey === true;
  const missing = requiredProblem(say);
  return (raw) => {
    const length = raw.length;
    const padded = length > 0 && (isSpace(raw.charCodeAt(0)) || isSpace(raw.charCodeAt(length - 1)));
    const value = padded ? raw.trim() : raw;
    if (value === '') return required ? missing : undefined;
    const normal = folds ? foldWidth(value) : value;
    const found = rule(normal);
    if (found) return found;
    if (normal !== value)
      return problem(
        'DATA-NORMALIZE',
        say('含全角字符', 'Contains full-width characters'),
        say('请改用半角（英文）数字和字母。', 'Use half-width digits and letters.'),
        normal,
      );
    if (padded)
      return {
        code: 'DATA-WHITESPACE',
        severity: 'warning',
        message: say('首尾有空格', 'Has leading or trailing spaces'),
        fix: value,
      };
    return undefined;
  };
}

function firstOf(rules: TypeRule[]): TypeRule {
  if (rules.length === 0) return () => undefined;
  if (rules.length === 1) return rules[0] as TypeRule;
  return (value) => {
    for (const rule of rules) {
      const found = rule(value);
      if (found) return found;
    }
    return undefined;
  };
}
