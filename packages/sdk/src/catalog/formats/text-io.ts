import { readFile, stat, writeFile } from 'node:fs/promises';
import { replaceFile } from '../../core/atomic-file.js';
import { dirname } from 'node:path';
import { FileFormatError } from '../../core/errors.js';

/** 1 MiB, for size limits written as `64 * MiB`. */
export const MiB = 1024 * 1024;

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}

/** The error for a path that does not exist, shared by every reader. */
export function notFound(path: string, cause?: unknown): FileFormatError {
  return new FileFormatError('FILE-NOT-FOUND', `找不到文件或文件夹：${path}`, {
    location: path,
    hint: '检查路径是否正确（相对路径相对于当前目录），以及文件是否已保存。',
    cause,
  });
}

/**
 * Reads a whole file after checking its size, so a wrong path (a database dump, a video) fails at
 * once instead of exhausting memory; catalogs are small.
 */
export async function readFileLimited(path: string, maxBytes: number): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new FileFormatError('FILE-TYPE', `${path} 是文件夹，不是文件`, {
        location: path,
        hint: '给出文件的路径；只有 YAML 目录（每个资源一个文件）可以是文件夹。',
      });
    }
    size = info.size;
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) throw notFound(path, error);
    throw error;
  }
  if (size > maxBytes) {
    throw new FileFormatError(
      'FILE-TOO-LARGE',
      `${path} 有 ${(size / MiB).toFixed(1)} MiB，超过上限 ${Math.round(maxBytes / MiB)} MiB`,
      { location: path, hint: '确认选对了文件；目录文件通常只有几 MiB。数据文件请用数据校验命令处理。' },
    );
  }
  return readFile(path);
}

/** Replaces a file atomically; a missing folder is reported as such, not as a failed rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await replaceFile(path, (temporary) => writeFile(temporary, data, { flag: 'wx' }));
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw notFound(dirname(path), error);
    throw error;
  }
}
