/**
 * The subjects of a verification call (核验) from a file: JSON (an array, or `{ subjects }`) or a
 * table (CSV in UTF-8/GBK, XLSX, JSON Lines) whose header names the granted fields. A subject
 * without `ref` is referred to by its row number, so verdicts can be matched to the file.
 */
import { readFile } from 'node:fs/promises';
import type { Lang } from '@minjiang/standards';
import type { VerifySubject } from '@minjiang/sdk';
import { UsageError } from '../exit-codes.js';
import { say } from '../lang.js';

const TEXT = {
  bad: {
    'zh-CN': '核验文件 {file} 无法读取：{problem}',
    en: 'the verification file {file} cannot be read: {problem}',
  },
  hint: {
    'zh-CN':
      'JSON 为对象数组（或 {"subjects": [...]}），每个对象给出关键信息项，可带 ref；CSV 首行为信息项技术名称。',
    en: 'JSON is an array of objects (or {"subjects": [...]}) giving the key fields, with an optional ref; a CSV starts with the fields’ technical names.',
  },
};

function fail(file: string, problem: string, lang: Lang): never {
  throw new UsageError('SUBJECTS-INVALID', say(TEXT.bad, lang, { file, problem }), {
    location: file,
    hint: say(TEXT.hint, lang),
  });
}

/** Values as strings (the hub compares text); `ref` defaults to the 1-based position. */
function subjectOf(value: unknown, index: number, file: string, lang: Lang): VerifySubject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(file, `subject ${index + 1} is not an object`, lang);
  const subject: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) {
    if (field === null || field === undefined) continue;
    subject[name] = typeof field === 'object' ? JSON.stringify(field) : String(field as string | number);
  }
  return { ...subject, ref: subject.ref ?? String(index + 1) };
}

async function fromJson(file: string, lang: Lang): Promise<unknown[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(file, code === 'ENOENT' ? 'no such file' : 'not JSON', lang);
  }
  const list: unknown = Array.isArray(parsed) ? parsed : (parsed as { subjects?: unknown } | null)?.subjects;
  if (!Array.isArray(list)) fail(file, 'no array of subjects', lang);
  return list as unknown[];
}

async function fromTable(file: string): Promise<unknown[]> {
  const { readDataRows } = await import('@minjiang/sdk');
  const source = await readDataRows(file);
  const subjects: unknown[] = [];
  for await (const row of source.rows) {
    const subject: Record<string, string> = {};
    source.header.forEach((name, at) => {
      const value = (row.values[at] ?? '').trim();
      if (name && value !== '') subject[name] = value;
    });
    subjects.push(subject);
  }
  return subjects;
}

export async function readSubjects(file: string, lang: Lang): Promise<VerifySubject[]> {
  const list = /\.json$/i.test(file) ? await fromJson(file, lang) : await fromTable(file);
  if (list.length === 0) fail(file, 'no subjects', lang);
  return list.map((value, index) => subjectOf(value, index, file, lang));
}
