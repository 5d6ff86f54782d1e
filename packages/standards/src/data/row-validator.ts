/**
 * The check of data rows against a catalog resource, one row at a time, shared by the SDK (files
 * on a department's machine) and the hub (every submitted row, since the hub never trusts the
 * client). Only findings up to a limit are built (the rest are counted) and one 52-bit hash per
 * key is kept, so memory stays flat in the number of rows apart from the key hashes.
 */
import { compileCrossRule, type CrossRule } from './cross-field.js';
import type { CellProblem, DataLang } from './data-checks.js';
import { KeyRows, keyHash } from './key-hash.js';
import { detached } from './data-values.js';
import { maskValue } from './mask.js';
import { compileRowSchema, type DataResource, type RowSchema, type SchemaColumn } from './row-schema.js';

/** One data row: its 1-based number, its physical line when known, and its cells in header order. */
export interface DataRowInput {
  row: number;
  line?: number;
  values: readonly string[];
}

export interface DataFinding {
  /** Stable code, e.g. `DATA-REQUIRED`. */
  code: string;
  severity: 'error' | 'warning';
  /** 1-based data row; 0 for the header. */
  row: number;
  /** Physical line (CSV, JSON Lines) or sheet row (xlsx), when known. */
  line?: number;
  /** The header cell as written. */
  column?: string;
  /** The information item's name. */
  item?: string;
  /** The value as found; masked when the item is sensitive. */
  value?: string;
  message: string;
  hint?: string;
  /** A suggested corrected value (masked like `value`). */
  fix?: string;
}

export interface RowValidatorOptions {
  lang?: DataLang;
  /** Findings kept; the rest are only counted. 10,000 by default. */
  maxFindings?: number;
  /** Whether sensitive values are masked in findings (default true). */
  mask?: boolean;
  /**
   * Whether the validator checks key uniqueness itself (default true). The hub checks chunks
   * as they arrive, in any order, and finds duplicate keys over the whole submission in SQL.
   */
  uniqueKeys?: boolean;
}

/** Validates rows one by one against a resource, for a given header. */
export class RowValidator {
  readonly schema: RowSchema;
  readonly findings: DataFinding[] = [];
  readonly counts: Record<string, number> = {};
  omitted = 0;
  errors = 0;
  warnings = 0;
  rows = 0;
  validRows = 0;
  private readonly max: number;
  private readonly mask: boolean;
  private readonly uniqueKeys: boolean;
  private readonly lang: DataLang;
  private readonly cross: CrossRule | undefined;
  private readonly keys = new KeyRows();
  private readonly keyValues: string[];
  private readonly effective: (string | undefined)[];

  /** Throws RowSchemaError (DATA-HEADER) when the header cannot be mapped to the resource. */
  constructor(resource: DataResource, header: readonly string[], options: RowValidatorOptions = {}) {
    this.lang = options.lang ?? 'zh-CN';
    this.max = options.maxFindings ?? 10_000;
    this.mask = options.mask ?? true;
    this.uniqueKeys = options.uniqueKeys ?? true;
    this.schema = compileRowSchema(resource, [...header], { lang: this.lang });
    for (const problem of this.schema.problems) this.add({ ...problem, row: 0 });
    this.cross = compileCrossRule(this.schema, this.lang);
    this.keyValues = new Array<string>(this.schema.keyColumns.length).fill('');
    this.effective = new Array<string | undefined>(header.length);
  }

  /** Checks one row; returns whether it has no error. */
  check(row: DataRowInput): boolean {
    this.rows += 1;
    let ok = true;
    const effective = this.effective;
    for (const column of this.schema.columns) {
      const raw = row.values[column.index] ?? '';
      const problem = column.check(raw);
      if (problem === undefined) {
        effective[column.index] = raw;
        continue;
      }
      effective[column.index] = problem.fix;
      if (problem.severity === 'error') ok = false;
      this.addCell(row, column, raw, problem);
    }
    if (this.cross) {
      for (const { column, problem } of this.cross.check((c) => effective[c.index])) {
        ok = false;
        this.addCell(row, column, row.values[column.index] ?? '', problem);
      }
    }
    if (this.uniqueKeys && this.keyValues.length > 0 && !this.checkKey(row)) ok = false;
    if (ok) this.validRows += 1;
    return ok;
  }

  /** The key values of a row (trimmed), in key-column order; empty when the resource has no key. */
  keyOf(values: readonly string[]): string[] {
    return this.schema.keyColumns.map((column) => (values[column.index] ?? '').trim());
  }

  /** Removes and returns the findings kept so far (the hub files them row by row). */
  takeFindings(): DataFinding[] {
    return this.findings.splice(0, this.findings.length);
  }

  private add(finding: DataFinding): void {
    if (this.count(finding.code, finding.severity)) this.findings.push(finding);
  }

  /** Counts a finding; returns whether it is to be kept (built), so omitted ones cost nothing. */
  private count(code: string, severity: 'error' | 'warning'): boolean {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    if (severity === 'error') this.errors += 1;
    else this.warnings += 1;
    if (this.findings.length < this.max) return true;
    this.omitted += 1;
    return false;
  }

  private addCell(row: DataRowInput, column: SchemaColumn, raw: string, problem: CellProblem): void {
    if (!this.count(problem.code, problem.severity)) return;
    const shown = (text: string): string =>
      this.mask && column.item.sensitive === true ? maskValue(text) : detached(text);
    this.findings.push({
      code: problem.code,
      severity: problem.severity,
      row: row.row,
      ...(row.line !== undefined ? { line: row.line } : {}),
      column: column.header,
      item: column.item.name,
      value: shown(raw),
      message: problem.message,
      ...(problem.hint ? { hint: problem.hint } : {}),
      ...(problem.fix !== undefined ? { fix: shown(problem.fix) } : {}),
    });
  }

  /** Keeps the first row of each key; reports later rows with the same key. */
  private checkKey(row: DataRowInput): boolean {
    const columns = this.schema.keyColumns;
    for (let i = 0; i < columns.length; i += 1) {
      const value = (row.values[(columns[i] as SchemaColumn).index] ?? '').trim();
      if (value === '') return true; // reported as DATA-REQUIRED already
      this.keyValues[i] = value;
    }
    const first = this.keys.add(keyHash(this.keyValues), row.row);
    if (first === 0) return true;
    this.addDuplicate(row, first);
    return false;
  }

  /**
   * Counts the DATA-DUPLICATE-KEY finding of a row whose key an earlier row (`first`) has, and
   * returns it when kept: for callers that find duplicates themselves (the hub, in SQL).
   */
  duplicateFinding(row: DataRowInput, first: number): DataFinding | undefined {
    const kept = this.findings.length;
    this.addDuplicate(row, first);
    return this.findings.length > kept ? this.findings.pop() : undefined;
  }

  private addDuplicate(row: DataRowInput, first: number): void {
    const columns = this.schema.keyColumns;
    const column = columns[0] as SchemaColumn;
    const names = columns.map((c) => c.header).join('、');
    const en = this.lang === 'en';
    this.addCell(row, column, row.values[column.index] ?? '', {
      code: 'DATA-DUPLICATE-KEY',
      severity: 'error',
      message: en
        ? `Duplicate key (${names}): same as data row ${first}`
        : `主键（${names}）重复：与第 ${first} 行相同`,
      hint: en
        ? 'Each key may occur once; remove or merge the duplicate rows.'
        : '主键在文件中只能出现一次，请删除或合并重复的行。',
    });
  }
}
