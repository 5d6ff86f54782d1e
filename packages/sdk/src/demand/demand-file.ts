import { readBodyFile } from '../core/body-file.js';

/** Reads a demand drafted in a JSON or YAML file (the body of `POST /demands`). */
export function readDemandFile(path: string): Promise<Record<string, unknown>> {
  return readBodyFile(path, {
    label: '需求文件',
    body: 'POST /demands 的请求体（subject、wantedItems、purpose…）',
    example: 'subject: 企业登记人员户籍核验',
  });
}
