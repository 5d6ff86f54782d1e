import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** POSIX permissions mean nothing on Windows (ACLs protect the profile directory there). */
export const POSIX_MODES = process.platform !== 'win32';

/**
 * Writes a file so that it never exists with other permissions or half written: a temp file is
 * created with `mode` (O_EXCL, then fchmod in case the umask took bits away), written, flushed,
 * and renamed over the target. The directory is created 0700 when missing. Returns the mode
 * the file ended up with (checked with stat after the rename).
 */
export async function writeFileAtomic(path: string, text: string, mode: number): Promise<number> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    if (POSIX_MODES) await handle.chmod(mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return (await stat(path)).mode & 0o777;
}
