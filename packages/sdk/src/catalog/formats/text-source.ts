/**
 * One JSON or YAML file read for a catalog: its text (to detect edits made after reading), the
 * parsed value, and the YAML document with a line counter (JSON is YAML 1.2, so one parser serves
 * both for locating values and for keeping comments when writing back).
 */
import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { FileFormatError } from '../../core/errors.js';
import type { CatalogFile } from '../catalog-file.js';
import type { CatalogFormat, LoadedCatalog, SourceLocation } from '../source.js';
import { MiB, readFileLimited } from './text-io.js';
import { findDuplicateKey, linePosition } from './text-json.js';

/** Catalog text files above this are refused: the largest real catalogs are a few MiB. */
export const MAX_TEXT_BYTES = 64 * MiB;
/** Aliases expanded per document; a "billion laughs" file needs far more. */
export const MAX_ALIAS_COUNT = 100;

export type TextKind = 'json' | 'yaml';

/** A parsed YAML document (JSON is YAML 1.2) with the line counter its node ranges need. */
export interface ParsedDocument {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface TextSource {
  file: string;
  /** The text as read, BOM included. */
  text: string;
  value: unknown;
  /** The document, to locate values and edit in place; built on first use for JSON. */
  document(): ParsedDocument;
}

/** The texts a catalog was read from, by file, so a write-back can refuse to clobber later edits. */
export const readTexts = new WeakMap<object, Map<string, string>>();

function parseError(file: string, reason: string, line?: number, column?: number, cause?: unknown) {
  const where = line === undefined ? '' : `:${line}${column === undefined ? '' : `:${column}`}`;
  const at = line === undefined ? '' : `第 ${line} 行${column === undefined ? '' : `第 ${column} 列`}：`;
  return new FileFormatError('FILE-PARSE', `无法解析 ${file}：${at}${reason}`, {
    location: `${file}${where}`,
    hint: '检查 JSON/YAML 语法（括号、引号、缩进），并确保同一对象中没有重复的键。',
    cause,
  });
}

function yamlError(file: string, error: YAMLError): FileFormatError {
  const position = error.linePos?.[0];
  const reason = error.code === 'DUPLICATE_KEY' ? '同一对象中有重复的键' : error.message.split('\n')[0];
  return parseError(file, reason ?? error.message, position?.line, position?.col, error);
}

function parseYamlDocument(text: string, file: string): ParsedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.2', lineCounter, uniqueKeys: true, keepSourceTokens: false });
  if (doc.errors[0]) throw yamlError(file, doc.errors[0]);
  return { doc, lineCounter };
}

function jsonValue(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    const offset = /position (\d+)/.exec((error as Error).message)?.[1];
    const at = offset === undefined ? undefined : linePosition(text, Number(offset));
    throw parseError(file, (error as Error).message, at?.line, at?.column, error);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    const at = linePosition(text, duplicate.offset);
    throw parseError(file, `同一对象中有重复的键“${duplicate.key}”`, at.line, at.column);
  }
  return value;
}

/** JSON's document, for locating only: JSON.parse has already vouched for the text. */
function lazyDocument(text: string): () => ParsedDocument {
  let parsed: ParsedDocument | undefined;
  return () => {
    if (!parsed) {
      const lineCounter = new LineCounter();
      parsed = { doc: parseDocument(text, { version: '1.2', lineCounter, uniqueKeys: false }), lineCounter };
    }
    return parsed;
  };
}

function yamlValue(doc: Document.Parsed, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    throw new FileFormatError('YAML-ALIAS', `${file} 中的 YAML 别名（*引用）展开过多，已拒绝读取`, {
      location: file,
      hint: `这类文件可能是恶意构造的“别名炸弹”。目录文件不需要大量别名；请直接写出内容，别名不超过 ${MAX_ALIAS_COUNT} 次展开。`,
      cause: error,
    });
  }
}

/** Parses the text of a JSON or YAML file; a leading BOM is ignored. */
export function parseTextSource(raw: string, file: string, kind: TextKind): TextSource {
  const text = raw.replace(/^\uFEFF/, '');
  if (kind === 'json') return { file, text: raw, value: jsonValue(text, file), document: lazyDocument(text) };
  const parsed = parseYamlDocument(text, file);
  return { file, text: raw, value: yamlValue(parsed.doc, file), document: () => parsed };
}

/** Reads and parses a JSON or YAML file (UTF-8), refusing files above {@link MAX_TEXT_BYTES}. */
export async function loadTextSource(file: string, kind: TextKind): Promise<TextSource> {
  const bytes = await readFileLimited(file, MAX_TEXT_BYTES);
  return parseTextSource(bytes.toString('utf8'), file, kind);
}

/** The catalog in a parsed value: `{ resources: [...] }` or a bare array of resources. */
export function catalogShape(value: unknown, file: string): { catalog: CatalogFile; rootIsArray: boolean } {
  if (Array.isArray(value)) return { catalog: { resources: value as unknown[] }, rootIsArray: true };
  if (value !== null && typeof value === 'object' && Array.isArray((value as CatalogFile).resources)) {
    return { catalog: value as CatalogFile, rootIsArray: false };
  }
  throw new FileFormatError('FILE-SHAPE', `${file} 不是目录文件：缺少 resources 列表`, {
    location: file,
    hint: '目录文件的顶层应为 { "resources": [ … ] }，或直接是资源数组。',
  });
}

/** The catalog's metadata that is present: title and version. */
export function catalogMeta(catalog: Partial<CatalogFile>): Omit<CatalogFile, 'resources'> {
  const meta: Omit<CatalogFile, 'resources'> = {};
  if (catalog.title !== undefined) meta.title = catalog.title;
  if (catalog.version !== undefined) meta.version = catalog.version;
  return meta;
}

/** The catalog fields of a parsed catalog file, metadata first as files are written. */
export function catalogFields(catalog: CatalogFile): CatalogFile {
  return { ...catalogMeta(catalog), resources: catalog.resources };
}

/** Builds the loaded catalog and remembers the texts it came from, for a later write-back. */
export function loadedCatalog(
  catalog: CatalogFile,
  format: Extract<CatalogFormat, 'json' | 'yaml' | 'yaml-dir'>,
  path: string,
  locate: (pointer: string) => SourceLocation,
  sources: readonly TextSource[],
): LoadedCatalog {
  const loaded: LoadedCatalog = { ...catalogFields(catalog), format, path, locate };
  readTexts.set(loaded, new Map(sources.map((source) => [source.file, source.text])));
  return loaded;
}
