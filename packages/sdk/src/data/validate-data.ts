/**
 * Validation of a data file against its catalog resource, streaming: each row is checked as it is
 * read and only findings (up to a limit; the rest are counted) and one 52-bit hash per key are
 * kept, so memory stays flat in the file size apart from the key hashes.
 */
import { FileFormatError } from '../core/errors.js';
import { compileCrossRule, type CrossRule } from './cross-field.js';
import type { CellProblem, DataLang } from './data-checks.js';
import { readDataRows, type DataRow, type DataRowSource, type ReadDataOptions } from './data-rows.js';
import { KeyRows, keyHash } from './key-hash.js';
import { maskValue } from './mask.js';
import { compileRowSchema, type DataResource, type RowSchema, type SchemaColumn } from './row-schema.js';

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

export interface DataValidationOptions {
  lang?: DataLang;
  /** Findings kept in the report; the rest are only counted. 10,000 by default. */
  maxFindings?: number;
}

export interface DataValidationReport {
  file: string;
  format: string;
  encoding?: string;
  resource: { code?: string; name: string };
  /** Data rows read. */
  rows: number;
  /** Rows without an error finding. */
  validRows: number;
  findings: DataFinding[];
  /** Findings past maxFindings, counted but not kept. */
  omitted: number;
  /** Every finding counted by code, kept or not. */
  counts: Record<string, number>;
  summary: { errors: number; warnings: number; columns: number; mappedColumns: number };
}

class Collector {
  readonly findings: DataFinding[] = [];
  readonly counts: Record<string, number> = {};
  omitted = 0;
  errors = 0;
  warnings = 0;

  constructor(private readonly max: number) {}

  /** Counts a finding; returns whether it is to be kept (built), so omitted ones cost nothing. */
  private count(code: string, severity: 'error' | 'warning'): boolean {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    if (severity === 'error') this.errors += 1;
    else this.warnings += 1;
    if (this.findings.length < this.max) return true;
    this.omitted += 1;
    return false;
  }

  add(finding: DataFinding): void {
    if (this.count(finding.code, finding.severity)) this.findings.push(finding);
  }

  addCell(row: DataRow, column: SchemaColumn, raw: string, problem: CellProblem): void {
    if (this.count(problem.code, problem.severity))
      this.findings.push(cellFinding(row, column, raw, problem));
  }
}

function cellFinding(row: DataRow, column: SchemaColumn, raw: string, problem: CellProblem): DataFinding {
  const sensitive = column.item.sensitive === true;
  const shown = (text: string): string => (sensitive ? maskValue(text) : text);
  return {
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
  };
}

/** Keeps the first row of each key; reports later rows with the same key. */
class KeyTracker {
  private readonly seen = new KeyRows();
  private readonly keyValues: string[];

  constructor(
    private readonly columns: SchemaColumn[],
    private readonly lang: DataLang,
  ) {
    this.keyValues = new Array<string>(columns.length).fill('');
  }

  check(row: DataRow, collector: Collector): boolean {
    const columns = this.columns;
    for (let i = 0; i < columns.length; i += 1) {
      const value = (row.values[(columns[i] as SchemaColumn).index] ?? '').trim();
      if (value === '') return true; // reported as DATA-REQUIRED already
      this.keyValues[i] = value;
    }
    const first = this.seen.add(keyHash(this.keyValues), row.row);
    if (first === 0) return true;
    const column = columns[0] as SchemaColumn;
    const names = columns.map((c) => c.header).join('、');
    const message =
      this.lang === 'en'
        ? `Duplicate key (${names}): same as data row ${first}`
        : `主键（${names}）重复：与第 ${first} 行相同`;
    const hint =
      this.lang === 'en'
        ? 'Each key may occur once; remove or merge the duplicate rows.'
        : '主键在文件中只能出现一次，请删除或合并重复的行。';
    collector.addCell(row, column, row.values[column.index] ?? '', {
      code: 'DATA-DUPLICATE-KEY',
      severity: 'error',
      message,
      hint,
    });
    return false;
  }
}

interface RowChecker {
  schema: RowSchema;
  cross: CrossRule | undefined;
  keys: KeyTracker | undefined;
}

/** Checks one row; returns whether it has no error. */
function checkRow(
  row: DataRow,
  checker: RowChecker,
  collector: Collector,
  effective: (string | undefined)[],
): boolean {
  let ok = true;
  for (const column of checker.schema.columns) {
    const raw = row.values[column.index] ?? '';
    const problem = column.check(raw);
    if (problem === undefined) {
      effective[column.index] = raw;
      continue;
    }
    effective[column.index] = problem.fix;
    if (problem.severity === 'error') ok = false;
    collector.addCell(row, column, raw, problem);
  }
  if (checker.cross) {
    for (const { column, problem } of checker.cross.check((c) => effective[c.index])) {
      ok = false;
      collector.addCell(row, column, row.values[column.index] ?? '', problem);
    }
  }
  if (checker.keys && !checker.keys.check(row, collector)) ok = false;
  return ok;
}

/** Validates rows already opened (any format, or rows made in memory). */
export async function validateDataRows(
  source: DataRowSource,
  resource: DataResource,
  options: DataValidationOptions = {},
): Promise<DataValidationReport> {
  const lang = options.lang ?? 'zh-CN';
  const collector = new Collector(options.maxFindings ?? 10_000);
  const schema = compileRowSchema(resource, source.header, { lang });
  for (const problem of schema.problems) collector.add({ ...problem, row: 0 });
  const checker: RowChecker = {
    schema,
    cross: compileCrossRule(schema, lang),
    keys: schema.keyColumns.length > 0 ? new KeyTracker(schema.keyColumns, lang) : undefined,
  };
  const effective = new Array<string | undefined>(source.header.length);
  let rows = 0;
  let validRows = 0;
  for await (const row of source.rows) {
    rows += 1;
    if (checkRow(row, checker, collector, effective)) validRows += 1;
  }
  return {
    file: source.file,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    resource: schema.resource,
    rows,
    validRows,
    findings: collector.findings,
    omitted: collector.omitted,
    counts: collector.counts,
    summary: {
      errors: collector.errors,
      warnings: collector.warnings,
      columns: source.header.length,
      mappedColumns: schema.columns.length,
    },
  };
}

/** Reads and validates a data file (CSV, JSON Lines or xlsx) against a catalog resource. */
export async function validateDataFile(
  path: string,
  resource: DataResource,
  options: DataValidationOptions & ReadDataOptions = {},
): Promise<DataValidationReport> {
  const source = await readDataRows(path, {
    ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
  });
  try {
    return await validateDataRows(source, resource, options);
  } catch (error) {
    // The header may be refused before the rows are read: release the file.
    source.close();
    if (error instanceof FileFormatError && error.code === 'DATA-HEADER') {
      throw new FileFormatError(error.code, error.message, {
        location: path,
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
    throw error;
  }
}
