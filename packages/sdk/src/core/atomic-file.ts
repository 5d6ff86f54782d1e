import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** POSIX permissions mean nothing on Windows (ACLs protect the profile directory there). */
export const POSIX_MODES = process.platform !== 'win32';

/**
 * Replaces a file atomically: `write` fills a temporary file in the same folder (so the rename
 * stays on one file system), which is then renamed over the target. A failure removes the
 * temporary file, so there is never a half-written file, nor a stray temporary one.
 */
export async function replaceFile(path: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await write(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes data atomically, flushed to disk before the rename. The temporary file is created with
 * `mode` (O_EXCL, then fchmod in case the umask took bits away), so a secret never exists on
 * disk with wider permissions than asked.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const mode = options.mode ?? 0o644;
  await replaceFile(path, async (temporary) => {
    const handle = await open(temporary, 'wx', mode);
    try {
      if (POSIX_MODES && options.mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}
