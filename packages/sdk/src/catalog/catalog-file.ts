import { extname } from 'node:path';
import { FileFormatError } from '../core/errors.js';
import { readCatalogText } from './formats/text.js';

/** A catalog as a department keeps it in a file: some metadata and its resources. */
export interface CatalogFile {
  title?: string;
  version?: string;
  resources: unknown[];
}

/**
 * Reads a catalog file (JSON or YAML, UTF-8). A bare array is taken as the list of resources.
 * YAML is read as YAML 1.2, so codes such as `0591` or `350100` stay as written when quoted,
 * and `no`/`yes` are not turned into booleans. For locations and the other formats, see
 * `readCatalog`.
 */
export async function readCatalogFile(path: string): Promise<CatalogFile> {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return (await readCatalogText(path, 'json')).catalog;
  if (extension === '.yaml' || extension === '.yml') return (await readCatalogText(path, 'yaml')).catalog;
  throw new FileFormatError('FILE-TYPE', `不支持的目录文件类型“${extension}”`, {
    location: path,
    hint: '目录文件应为 .json、.yaml 或 .yml。',
  });
}
