import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { FileFormatError } from '../core/errors.js';

/** A catalog as a department keeps it in a file: some metadata and its resources. */
export interface CatalogFile {
  title?: string;
  version?: string;
  resources: unknown[];
}

function parseText(text: string, path: string): unknown {
  const extension = extname(path).toLowerCase();
  try {
    if (extension === '.json') return JSON.parse(text) as unknown;
    if (extension === '.yaml' || extension === '.yml') return parseYaml(text, { version: '1.2' }) as unknown;
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos
        ? `:${error.linePos[0].line}:${error.linePos[0].col}`
        : '';
    throw new FileFormatError('FILE-PARSE', `无法解析 ${path}：${(error as Error).message}`, {
      location: `${path}${where}`,
      hint: '检查文件的 JSON/YAML 语法（括号、引号、缩进）。',
      cause: error,
    });
  }
  throw new FileFormatError('FILE-TYPE', `不支持的目录文件类型“${extension}”`, {
    location: path,
    hint: '目录文件应为 .json、.yaml 或 .yml。',
  });
}

/**
 * Reads a catalog file (JSON or YAML, UTF-8). A bare array is taken as the list of resources.
 * YAML is read as YAML 1.2, so codes such as `0591` or `350100` stay as written when quoted,
 * and `no`/`yes` are not turned into booleans.
 */
export async function readCatalogFile(path: string): Promise<CatalogFile> {
  const text = await readFile(path, 'utf8');
  const parsed = parseText(text.replace(/^\uFEFF/, ''), path);
  if (Array.isArray(parsed)) return { resources: parsed };
  if (parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as CatalogFile).resources)) {
    return parsed as CatalogFile;
  }
  throw new FileFormatError('FILE-SHAPE', `${path} 不是目录文件：缺少 resources 列表`, {
    location: path,
    hint: '目录文件的顶层应为 { "resources": [ … ] }，或直接是资源数组。',
  });
}
