import { extname } from 'node:path';
import type { CatalogFile } from './catalog-file.js';
import type { CatalogFormat, LoadedCatalog } from './source.js';
import { FileFormatError } from '../core/errors.js';

/** The format a path asks for when written: by extension; a path without one is a folder. */
export function formatForOutput(path: string, template: 'minjiang' | 'national' = 'minjiang'): CatalogFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  if (extension === '.csv') return 'csv';
  if (extension === '.xlsx') return template === 'national' ? 'xlsx-national' : 'xlsx-minjiang';
  if (extension === '') return 'yaml-dir';
  throw new FileFormatError('FILE-TYPE', `不支持写出“${extension}”格式的目录`, {
    location: path,
    hint: '输出文件应为 .json、.yaml、.csv、.xlsx，或不带扩展名的文件夹（每个资源一个 YAML 文件）。',
  });
}

/** Writes a whole catalog in a format; every writer replaces the file atomically. */
export async function writeCatalog(
  path: string,
  catalog: CatalogFile,
  format: CatalogFormat = formatForOutput(path),
  options: { prune?: boolean; encoding?: string } = {},
): Promise<void> {
  const formats = await import('./formats/index.js');
  switch (format) {
    case 'xlsx-minjiang':
      return formats.writeCatalogXlsx(path, catalog);
    case 'xlsx-national':
      return formats.writeCatalogNationalXlsx(path, catalog);
    case 'csv':
      return formats.writeCatalogCsv(path, catalog, options.encoding ? { encoding: options.encoding } : {});
    default: {
      const { writeTextCatalog } = await import('./formats/text.js');
      return writeTextCatalog(path, catalog, format, options.prune ? { prune: true } : {});
    }
  }
}

/**
 * Writes fixed values back into the file they were read from, in its own format: only the
 * changed cells of a spreadsheet, only the changed values of a YAML file (comments kept).
 */
export async function writeBackCatalog(
  loaded: LoadedCatalog,
  fixed: CatalogFile,
  pointers: string[],
): Promise<void> {
  if (loaded.format === 'json' || loaded.format === 'yaml' || loaded.format === 'yaml-dir') {
    const { writeBackText } = await import('./formats/text.js');
    return writeBackText(loaded, fixed, pointers);
  }
  const { writeBackCells } = await import('./formats/index.js');
  return writeBackCells(loaded, fixed, pointers);
}

/** Writes the empty Minjiang xlsx template (exceljs is loaded only now). */
export async function writeCatalogTemplate(path: string): Promise<void> {
  const { writeCatalogTemplate: write } = await import('./formats/index.js');
  return write(path);
}
