import { readBodyFile } from '../core/body-file.js';

/** Reads an application drafted in a JSON or YAML file (the body of `POST /applications`). */
export function readApplicationFile(path: string): Promise<Record<string, unknown>> {
  return readBodyFile(path, {
    label: '申请文件',
    body: 'POST /applications 的请求体',
    example: 'resourceCode: 3350010001/000001',
  });
}
