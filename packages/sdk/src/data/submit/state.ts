/**
 * `.minjiang/submissions/<id>.json`: what is needed to resume an interrupted upload — which file
 * (path, size, modification time), how it was cut (chunkRows) and for what (resource, mode, hub).
 * Written atomically before the first chunk is sent, so an interruption at any moment leaves a
 * resumable submission.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../../catalog/state/store.js';
import type { SubmissionMode } from '../../client/data-types.js';
import { SubmitError } from './errors.js';

export const SUBMISSION_STATE_FORMAT = 'minjiang-submission/1';

export interface SubmissionState {
  format: typeof SUBMISSION_STATE_FORMAT;
  id: string;
  hub: string;
  resource: string;
  mode: SubmissionMode;
  /** Absolute path of the data file. */
  file: string;
  size: number;
  mtimeMs: number;
  chunkRows: number;
  /** zlib level of the chunks: a resume encodes skipped chunks alike to check the receipt. */
  gzipLevel?: number;
  encoding?: string;
  createdAt: string;
  /** Set once the commit's result is in. */
  committedAt?: string;
  /** The saved receipt, relative to the `.minjiang` folder. */
  receipt?: string;
}

/** The identity of a file as far as resuming is concerned. */
export interface FileIdentity {
  file: string;
  size: number;
  mtimeMs: number;
}

export async function fileIdentity(path: string): Promise<FileIdentity> {
  const info = await stat(path);
  return { file: resolve(path), size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
}

/** Path of a submission's state file inside a `.minjiang` folder. */
export function submissionStatePath(stateDir: string, id: string): string {
  return join(stateDir, 'submissions', `${id.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
}

export async function writeSubmissionState(stateDir: string, state: SubmissionState): Promise<string> {
  const path = submissionStatePath(stateDir, state.id);
  await writeJsonAtomic(path, state);
  return path;
}

export async function readSubmissionState(stateDir: string, id: string): Promise<SubmissionState> {
  const path = submissionStatePath(stateDir, id);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new SubmitError('SUBMIT-STATE-MISSING', `没有提交 ${id} 的本地续传记录`, {
      location: path,
      hint: '续传需要开始上传时写在数据文件旁 .minjiang/submissions/ 下的记录；在同一目录、对同一文件续传，或重新提交（旧提交可取消）。',
      cause,
    });
  }
  let state: SubmissionState;
  try {
    state = JSON.parse(text) as SubmissionState;
  } catch (cause) {
    throw new SubmitError('SUBMIT-STATE-UNREADABLE', `无法解析续传记录 ${path}`, { location: path, cause });
  }
  // Read from a file: any version may be there, whatever the type says.
  const format: unknown = state.format;
  if (format !== SUBMISSION_STATE_FORMAT) {
    throw new SubmitError('SUBMIT-STATE-UNREADABLE', `${path} 不是 ${SUBMISSION_STATE_FORMAT} 格式`, {
      location: path,
      hint: '它可能由其他版本的 minjiang 写出；请重新提交。',
    });
  }
  return state;
}

/** Refuses to resume with a file other than the one the submission started with. */
export function checkSameFile(state: SubmissionState, now: FileIdentity, statePath: string): void {
  const changes: string[] = [];
  if (now.file !== state.file) changes.push(`路径 ${state.file} → ${now.file}`);
  if (now.size !== state.size) changes.push(`大小 ${state.size} → ${now.size} 字节`);
  if (now.mtimeMs !== state.mtimeMs)
    changes.push(
      `修改时间 ${new Date(state.mtimeMs).toISOString()} → ${new Date(now.mtimeMs).toISOString()}`,
    );
  if (changes.length === 0) return;
  throw new SubmitError(
    'SUBMIT-FILE-CHANGED',
    `数据文件与提交 ${state.id} 开始时不同：${changes.join('；')}`,
    {
      location: statePath,
      hint: '续传只能用开始上传时的同一文件。文件改过时请取消该提交，重新提交整个文件。',
    },
  );
}
