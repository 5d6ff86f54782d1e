/**
 * One entry point for reading a catalog in any of its formats: the format is told by the path
 * (a folder, or the extension) and, for workbooks, by the header row of the template.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { FileFormatError } from '../core/errors.js';
import { notFound } from './formats/text-io.js';
import type { CatalogFormat, LoadedCatalog, ReadCatalogOptions } from './source.js';

/** The format as far as the path tells it; a workbook's template is known only from its content. */
type PathFormat = Exclude<CatalogFormat, 'xlsx-minjiang' | 'xlsx-national'> | 'xlsx';

const BY_EXTENSION: Record<string, PathFormat> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
};

/** Old binary spreadsheet formats, refused with a hint to save as .xlsx. */
const OLD_SPREADSHEETS = new Set(['.xls', '.et', '.ods', '.numbers']);

function unsupported(path: string, extension: string): FileFormatError {
  const old = OLD_SPREADSHEETS.has(extension);
  return new FileFormatError('FILE-TYPE', `不支持的目录文件类型“${extension || '（无扩展名）'}”：${path}`, {
    location: path,
    hint: old
      ? '请在 Excel 或 WPS 中另存为 .xlsx（Excel 工作簿）后再读取。'
      : '目录可以是 .xlsx（闽江模板或国家模板）、.csv、.json、.yaml/.yml，或每个资源一个 YAML 文件的文件夹。',
  });
}

async function pathFormat(path: string): Promise<PathFormat> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? ''))
      throw notFound(path, error);
    throw error;
  }
  if (isDirectory) return 'yaml-dir';
  const extension = extname(path).toLowerCase();
  const format = BY_EXTENSION[extension];
  if (!format) throw unsupported(path, extension);
  return format;
}

/**
 * The format of a catalog file or folder: a folder is `yaml-dir`, files go by extension, and a
 * workbook is `xlsx-national` or `xlsx-minjiang` by its header row (so the workbook is read).
 */
export async function detectCatalogFormat(path: string): Promise<CatalogFormat> {
  const format = await pathFormat(path);
  if (format !== 'xlsx') return format;
  const { readCatalogXlsx } = await import('./formats/index.js');
  return (await readCatalogXlsx(path)).format;
}

async function readAs(path: string, format: PathFormat | CatalogFormat, options: ReadCatalogOptions) {
  if (format === 'json' || format === 'yaml' || format === 'yaml-dir') {
    const { readTextCatalog } = await import('./formats/text.js');
    return readTextCatalog(path, format);
  }
  // The tabular readers are large (exceljs, zip checks); load them only for tabular files.
  const { readCatalogCsv, readCatalogXlsx } = await import('./formats/index.js');
  if (format === 'csv') return readCatalogCsv(path, options);
  return readCatalogXlsx(path, { ...options, format: format === 'xlsx' ? undefined : format });
}

/**
 * Reads a catalog in any format: xlsx (Minjiang or national template), CSV (UTF-8, GBK or
 * GB18030, detected unless `encoding` is given), JSON, YAML, or a folder of YAML files.
 * `options.format` overrides detection. Missing paths give `FILE-NOT-FOUND`, unknown extensions
 * `FILE-TYPE`.
 */
export async function readCatalog(path: string, options: ReadCatalogOptions = {}): Promise<LoadedCatalog> {
  return readAs(path, options.format ?? (await pathFormat(path)), options);
}

/** Reads several catalogs in order; the first that cannot be read stops the others. */
export async function readCatalogs(
  paths: readonly string[],
  options: ReadCatalogOptions = {},
): Promise<LoadedCatalog[]> {
  const catalogs: LoadedCatalog[] = [];
  for (const path of paths) catalogs.push(await readCatalog(path, options));
  return catalogs;
}
