/** Reading a catalog workbook in either template: the template is told from the header row. */
import { stat } from 'node:fs/promises';
import type { LoadedCatalog, ReadCatalogOptions } from '../source.js';
import { FileFormatError } from '../../core/errors.js';
import { detectLayout } from './layouts.js';
import { tabularCatalog } from './locator.js';
import { bindHeader, CatalogRowReader, warningSink } from './tabular.js';
import { notFound } from './text-io.js';
import { streamCatalogSheet } from './xlsx-stream.js';
import { checkXlsxArchive, DEFAULT_ZIP_LIMITS, type ZipLimits } from './xlsx-zip.js';

export interface XlsxReadOptions extends ReadCatalogOptions {
  /** Limits of the zip-bomb check; the defaults fit catalogs of tens of thousands of resources. */
  limits?: Partial<ZipLimits>;
}

/** Size and modification time, or FILE-NOT-FOUND. */
export async function fileStamp(path: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new FileFormatError('FILE-TYPE', `${path} 是文件夹，不是文件`, {
        location: path,
        hint: '给出 .xlsx 或 .csv 文件的路径。',
      });
    }
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(path, error);
    throw error;
  }
}

/**
 * Reads a catalog workbook, national or Minjiang template, streaming its rows. Values are kept
 * as typed (see cell-values.ts); unknown columns become warnings. The zip container is checked
 * first: XLSX-CORRUPT, XLSX-ZIP-BOMB; then CELL-TOO-LARGE and XLSX-NO-HEADER while reading.
 */
export async function readCatalogXlsx(path: string, options: XlsxReadOptions = {}): Promise<LoadedCatalog> {
  const stamp = await fileStamp(path);
  await checkXlsxArchive(path, { ...DEFAULT_ZIP_LIMITS, ...options.limits });
  const read = await streamCatalogSheet(
    path,
    (cells) => detectLayout(cells, options.format),
    async ({ sheet, match: layout, header, rows }) => {
      const place = { file: path, sheet };
      const sink = warningSink(place);
      const binding = bindHeader(layout, header, sink);
      const reader = new CatalogRowReader(layout, binding, sink);
      for await (const row of rows) reader.push(row);
      reader.finish();
      const index = { place, layout, headerRow: header.row, binding, groups: reader.groups, stamp };
      return { index, resources: reader.resources, warnings: sink.warnings };
    },
  );
  return tabularCatalog({
    format: read.index.layout.id === 'national' ? 'xlsx-national' : 'xlsx-minjiang',
    path,
    ...read,
  });
}
