import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'yaml';
import { FileFormatError } from './errors.js';

/** How the messages name a kind of drafted request body. */
export interface BodyFileKind {
  /** e.g. 需求文件, 申请文件 */
  label: string;
  /** What the body is, for the hint: e.g. `POST /demands 的请求体（subject、wantedItems、purpose…）`. */
  body: string;
  /** A first line to show, e.g. `subject: 企业登记人员户籍核验`. */
  example: string;
}

/**
 * Reads a request body drafted in a JSON or YAML file (any field may be left to flags). Anything
 * but `.json` is read as YAML, a superset of JSON; `.json` is read strictly, so a JSON typo is
 * reported as one.
 */
export async function readBodyFile(path: string, kind: BodyFileKind): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FileFormatError('FILE-NOT-FOUND', `找不到文件：${path}`, {
      location: path,
      hint: '检查路径和文件名；相对路径从当前文件夹算起。',
      cause,
    });
  }
  let value: unknown;
  try {
    value = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parse(text);
  } catch (cause) {
    throw new FileFormatError('FILE-PARSE', `无法解析${kind.label} ${path}：${(cause as Error).message}`, {
      location: path,
      hint: `${kind.label}应为 JSON 或 YAML 对象，字段同 ${kind.body}。`,
      cause,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FileFormatError('FILE-TYPE', `${kind.label} ${path} 不是一个对象`, {
      location: path,
      hint: `文件顶层应为对象，例如 ${kind.example}。`,
    });
  }
  return value as Record<string, unknown>;
}
