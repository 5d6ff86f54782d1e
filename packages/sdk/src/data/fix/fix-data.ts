/**
 * `fixDataFile`: applies the mechanical fixes to a data file and writes the corrected file in
 * the same format and encoding, atomically (a temporary file in the same folder, renamed when
 * whole). Streaming: only the kept changes (up to a limit) and the validators' key hashes stay
 * in memory.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { DataLang, DataResource } from '@minjiang/standards';
import { replaceFile } from '../../core/atomic-file.js';
import { readDataRows, type DataFormat, type DataRowSource, type ReadDataOptions } from '../data-rows.js';
import { openFixSink } from './fix-writers.js';
import { RowFixer, type DataCellChange, type DataFindingCounts } from './row-fixer.js';

export interface DataFixOptions extends ReadDataOptions {
  lang?: DataLang;
  /** Where to write the fixed file; required unless `dryRun`. May be the input itself. */
  output?: string;
  /** Computes everything, writes nothing. */
  dryRun?: boolean;
  /** Changes kept in the result; the rest are only counted. 10,000 by default. */
  maxChanges?: number;
}

export interface DataFixResult {
  file: string;
  format: DataFormat;
  encoding?: string;
  resource: { code?: string; name: string };
  /** The file written, absent on a dry run. */
  output?: string;
  written: boolean;
  /** Data rows read. */
  rows: number;
  changedRows: number;
  changedCells: number;
  /** The changed cells, up to maxChanges; sensitive values masked. */
  changes: DataCellChange[];
  /** Changed cells past maxChanges, counted but not kept. */
  omitted: number;
  /** Applied fixes counted by finding code. */
  fixed: Record<string, number>;
  /** What the input had. */
  before: DataFindingCounts;
  /** What the fixed rows still have (header findings included): fix these by hand. */
  remaining: DataFindingCounts;
}

/** `data.csv` → `data.fixed.csv`, next to the input. */
export function defaultFixedPath(input: string): string {
  const extension = extname(input);
  return join(dirname(input), `${basename(input, extension)}.fixed${extension}`);
}

async function fixInto(source: DataRowSource, fixer: RowFixer, temporary: string | undefined): Promise<void> {
  if (temporary === undefined) {
    for await (const row of source.rows) fixer.fix(row);
    return;
  }
  const sink = await openFixSink(source, temporary);
  try {
    for await (const row of source.rows) await sink.write(row, fixer.fix(row));
    await sink.finish();
  } catch (error) {
    await sink.close();
    throw error;
  }
}

/**
 * Reads a data file (CSV, JSON Lines or xlsx), applies every fix the validator suggests for the
 * resource, and writes the corrected file to `options.output` in the input's format: CSV in its
 * encoding (UTF-8, GBK, GB18030), delimiter and line breaks, unchanged lines byte for byte; JSON
 * Lines with only the changed values rewritten; xlsx as a new workbook of text cells (the first
 * sheet's header and rows; title rows and formatting are not kept). Values are written as they
 * are: use neutraliseFormula for files meant to be opened by people.
 */
export async function fixDataFile(
  path: string,
  resource: DataResource,
  options: DataFixOptions = {},
): Promise<DataFixResult> {
  if (!options.dryRun && options.output === undefined) {
    throw new TypeError('fixDataFile: options.output is required unless options.dryRun');
  }
  const source = await readDataRows(path, {
    ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
  });
  let fixer: RowFixer;
  try {
    fixer = new RowFixer(resource, source.header, path, {
      ...(options.lang ? { lang: options.lang } : {}),
      ...(options.maxChanges !== undefined ? { maxChanges: options.maxChanges } : {}),
    });
  } catch (error) {
    source.close();
    throw error;
  }
  const output = options.dryRun ? undefined : options.output;
  if (output === undefined) await fixInto(source, fixer, undefined);
  else await replaceFile(output, (temporary) => fixInto(source, fixer, temporary));
  return {
    file: path,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    resource: resource.code ? { code: resource.code, name: resource.name } : { name: resource.name },
    ...(output !== undefined ? { output } : {}),
    written: output !== undefined,
    rows: fixer.rows,
    changedRows: fixer.changedRows,
    changedCells: fixer.changedCells,
    changes: fixer.changes,
    omitted: fixer.omitted,
    fixed: fixer.fixed,
    before: fixer.before,
    remaining: fixer.remaining,
  };
}
