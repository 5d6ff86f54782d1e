import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { POSIX_MODES, writeFileAtomic as replaceAtomically } from '@minjiang/sdk';

export { POSIX_MODES };

/**
 * Writes a file that must never exist with other permissions or half written, in a folder
 * created 0700 when missing. Returns the mode the file ended up with (checked after the rename).
 */
export async function writeFileAtomic(path: string, text: string, mode: number): Promise<number> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await replaceAtomically(path, text, { mode });
  return (await stat(path)).mode & 0o777;
}
