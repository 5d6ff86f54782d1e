/**
 * Validation of a data file against its catalog resource, streaming: each row is checked as it is
 * read and only findings (up to a limit; the rest are counted) and one 52-bit hash per key are
 * kept, so memory stays flat in the file size apart from the key hashes.
 */
import {
  RowSchemaError,
  RowValidator,
  type DataFinding,
  type DataLang,
  type DataResource,
} from '@minjiang/standards';
import { FileFormatError } from '../core/errors.js';
import { readDataRows, type DataRowSource, type ReadDataOptions } from './data-rows.js';

export type { DataFinding };

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

/** The validator for the file's header; an unmappable header is the file's format error. */
function openValidator(
  resource: DataResource,
  source: DataRowSource,
  options: DataValidationOptions,
): RowValidator {
  try {
    return new RowValidator(resource, source.header, {
      ...(options.lang ? { lang: options.lang } : {}),
      ...(options.maxFindings !== undefined ? { maxFindings: options.maxFindings } : {}),
    });
  } catch (error) {
    if (!(error instanceof RowSchemaError)) throw error;
    const location = source.file || error.location;
    throw new FileFormatError(error.code, error.message, { location, hint: error.hint });
  }
}

/** Validates rows already opened (any format, or rows made in memory). */
export async function validateDataRows(
  source: DataRowSource,
  resource: DataResource,
  options: DataValidationOptions = {},
): Promise<DataValidationReport> {
  const validator = openValidator(resource, source, options);
  if (source.batches) {
    for await (const batch of source.batches) for (const row of batch) validator.check(row);
  } else {
    for await (const row of source.rows) validator.check(row);
  }
  return {
    file: source.file,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    resource: validator.schema.resource,
    rows: validator.rows,
    validRows: validator.validRows,
    findings: validator.findings,
    omitted: validator.omitted,
    counts: validator.counts,
    summary: {
      errors: validator.errors,
      warnings: validator.warnings,
      columns: source.header.length,
      mappedColumns: validator.schema.columns.length,
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
    throw error;
  }
}
