import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'yaml';
import { FileFormatError } from '../core/errors.js';

/**
 * Reads an application drafted in a JSON or YAML file (the body of `POST /applications`, any
 * fields may be left to flags). YAML is a superset of JSON, so anything but `.json` is read as
 * YAML; `.json` is read strictly, so a JSON typo is reported as one.
 */
export async function readApplicationFile(path: string): Promise<Record<string, unknown>> {
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
    throw new FileFormatError('FILE-PARSE', `无法解析申请文件 ${path}：${(cause as Error).message}`, {
      location: path,
      hint: '申请文件应为 JSON 或 YAML 对象，字段同 POST /applications 的请求体。',
      cause,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FileFormatError('FILE-TYPE', `申请文件 ${path} 不是一个对象`, {
      location: path,
      hint: '文件顶层应为对象，例如 resourceCode: 3350010001/000001。',
    });
  }
  return value as Record<string, unknown>;
}
