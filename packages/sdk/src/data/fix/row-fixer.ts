/**
 * The mechanical fixes of data rows, one row at a time: the fixes the validator suggests (full
 * width folded, whitespace trimmed, dates and times reformatted, labels turned into codes,
 * gender and birth date derived from the resident ID), taken from a RowValidator that does not
 * mask, so a sensitive item is fixed with its real value. A second validator checks the fixed
 * rows, so the result says exactly what `data validate` will still find in the output.
 */
import {
  maskValue,
  RowSchemaError,
  RowValidator,
  type DataLang,
  type DataResource,
  type SchemaColumn,
} from '@minjiang/standards';
import { FileFormatError } from '../../core/errors.js';
import type { DataRow } from '../data-rows.js';

/** One corrected cell. Values of sensitive items are masked here (never in the written file). */
export interface DataCellChange {
  /** 1-based data row. */
  row: number;
  /** Physical line (CSV, JSON Lines) or sheet row (xlsx). */
  line?: number;
  /** The header cell as written. */
  column: string;
  /** The information item's name. */
  item: string;
  from: string;
  to: string;
  /** The finding codes whose suggested fixes were applied, in order. */
  codes: string[];
}

export interface RowFixerOptions {
  lang?: DataLang;
  /** Changes kept in the result; the rest are only counted. 10,000 by default. */
  maxChanges?: number;
}

/** Findings of a validator, counted: what a file had before, or still has after, the fixes. */
export interface DataFindingCounts {
  errors: number;
  warnings: number;
  /** Rows without an error finding. */
  validRows: number;
  /** Findings counted by code. */
  counts: Record<string, number>;
}

function countsOf(validator: RowValidator): DataFindingCounts {
  return {
    errors: validator.errors,
    warnings: validator.warnings,
    validRows: validator.validRows,
    counts: { ...validator.counts },
  };
}

/** Opens a validator; an unmappable header is the file's format error (DATA-HEADER). */
export function openRowValidator(
  resource: DataResource,
  header: readonly string[],
  file: string,
  options: { lang?: DataLang; mask: boolean; maxFindings?: number },
): RowValidator {
  try {
    return new RowValidator(resource, header, options);
  } catch (error) {
    if (!(error instanceof RowSchemaError)) throw error;
    throw new FileFormatError(error.code, error.message, { location: file, hint: error.hint });
  }
}

export class RowFixer {
  readonly changes: DataCellChange[] = [];
  /** Changed cells past maxChanges, counted but not kept. */
  omitted = 0;
  rows = 0;
  changedRows = 0;
  changedCells = 0;
  /** Applied fixes counted by finding code. */
  readonly fixed: Record<string, number> = {};
  private readonly finder: RowValidator;
  private readonly checker: RowValidator;
  private readonly byHeader = new Map<string, SchemaColumn>();
  private readonly max: number;

  /** Throws FileFormatError DATA-HEADER when the header cannot be mapped to the resource. */
  constructor(
    resource: DataResource,
    header: readonly string[],
    file: string,
    options: RowFixerOptions = {},
  ) {
    const lang = options.lang ?? 'zh-CN';
    this.finder = openRowValidator(resource, header, file, { lang, mask: false });
    this.finder.takeFindings(); // header findings: the checker counts them
    this.checker = openRowValidator(resource, header, file, { lang, mask: true, maxFindings: 0 });
    for (const column of this.finder.schema.columns) this.byHeader.set(column.header, column);
    this.max = options.maxChanges ?? 10_000;
  }

  /** What the input had. */
  get before(): DataFindingCounts {
    return countsOf(this.finder);
  }

  /** What the fixed rows still have: what `data validate` reports on the output. */
  get remaining(): DataFindingCounts {
    return countsOf(this.checker);
  }

  /** Fixes one row: its corrected cells, or undefined when nothing changed. */
  fix(row: DataRow): string[] | undefined {
    this.rows += 1;
    this.finder.check(row);
    let values: string[] | undefined;
    const applied = new Map<SchemaColumn, string[]>();
    for (const finding of this.finder.takeFindings()) {
      const column = finding.column === undefined ? undefined : this.byHeader.get(finding.column);
      if (finding.fix === undefined || !column) continue;
      values ??= [...row.values];
      values[column.index] = finding.fix;
      const codes = applied.get(column) ?? [];
      codes.push(finding.code);
      applied.set(column, codes);
    }
    const fixed = values && this.record(row, values, applied) ? values : undefined;
    this.checker.check(fixed ? { ...row, values: fixed } : row);
    return fixed;
  }

  /** Records the cells that really changed; returns whether any did. */
  private record(row: DataRow, values: string[], applied: Map<SchemaColumn, string[]>): boolean {
    let changed = false;
    for (const [column, codes] of applied) {
      const from = row.values[column.index] ?? '';
      const to = values[column.index] ?? '';
      if (from === to) continue;
      changed = true;
      this.changedCells += 1;
      for (const code of codes) this.fixed[code] = (this.fixed[code] ?? 0) + 1;
      if (this.changes.length >= this.max) {
        this.omitted += 1;
        continue;
      }
      const shown = (text: string): string => (column.item.sensitive === true ? maskValue(text) : text);
      this.changes.push({
        row: row.row,
        ...(row.line !== undefined ? { line: row.line } : {}),
        column: column.header,
        item: column.item.name,
        from: shown(from),
        to: shown(to),
        codes,
      });
    }
    if (changed) this.changedRows += 1;
    return changed;
  }
}
