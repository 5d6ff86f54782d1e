/**
 * JSON Lines data files: one object per line, keyed by item technical names or names. The
 * header is the keys of the first object; a later object may omit keys but not add new ones, so
 * a misspelt key is an error rather than a silently dropped value. Always UTF-8 (RFC 8259).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { FileFormatError } from '../core/errors.js';
import type { DataRow, DataRowSource } from './data-rows.js';

function jsonlError(file: string, line: number, message: string, hint: string): FileFormatError {
  return new FileFormatError('JSONL-PARSE', message, { location: `${file}:${line}`, hint });
}

function parseObject(text: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw jsonlError(
      file,
      line,
      `第 ${line} 行不是有效的 JSON：${detail}`,
      '每行应是一个完整的 JSON 对象，不能跨行。',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw jsonlError(
      file,
      line,
      `第 ${line} 行不是 JSON 对象`,
      '每行应是一个 JSON 对象，如 {"GMSFHM": "…", "XM": "…"}。',
    );
  }
  return value as Record<string, unknown>;
}

function cellText(value: unknown, file: string, line: number, key: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw jsonlError(
    file,
    line,
    `第 ${line} 行的“${key}”是对象或数组`,
    '信息项的值应为字符串、数字、布尔值或 null。',
  );
}

function valuesOf(object: Record<string, unknown>, columns: Map<string, number>, file: string, line: number) {
  const values = new Array<string>(columns.size).fill('');
  for (const key of Object.keys(object)) {
    const index = columns.get(key);
    if (index === undefined) {
      throw new FileFormatError('JSONL-KEYS', `第 ${line} 行有第一行没有的键“${key}”`, {
        location: `${file}:${line}`,
        hint: '第一行的键就是表头：请检查键名拼写，或在第一行也写上该键（值可为 null）。',
      });
    }
    values[index] = cellText(object[key], file, line, key);
  }
  return values;
}

export async function openJsonlRows(path: string): Promise<DataRowSource> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let line = 0;
  let first: Record<string, unknown> | undefined;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    line += 1;
    const text = next.value.replace(/^\uFEFF/, '');
    if (text.trim() === '') continue;
    first = parseObject(text, path, line);
    break;
  }
  const header = first ? Object.keys(first) : [];
  const columns = new Map(header.map((key, index) => [key, index]));
  const firstLine = line;
  async function* rows(): AsyncGenerator<DataRow> {
    let row = 0;
    try {
      if (first)
        yield { row: (row += 1), line: firstLine, values: valuesOf(first, columns, path, firstLine) };
      for (let next = await lines.next(); !next.done; next = await lines.next()) {
        line += 1;
        const text = next.value;
        if (text.trim() === '') continue;
        const object = parseObject(text, path, line);
        yield { row: (row += 1), line, values: valuesOf(object, columns, path, line) };
      }
    } finally {
      stream.destroy();
    }
  }
  return {
    file: path,
    format: 'jsonl',
    encoding: 'utf-8',
    header,
    rows: rows(),
    close: () => stream.destroy(),
  };
}
