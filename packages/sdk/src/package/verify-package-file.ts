import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyPackage, type PackageVerification, type VerifyPackageOptions } from '@minjiang/standards';
import { CatalogStateStore, STATE_DIR } from '../catalog/state/store.js';
import { FileFormatError } from '../core/errors.js';

/**
 * The largest package read by default: 2 GiB less one byte, the most `readFile` returns on
 * Node 20. The zip format would allow 4 GiB, but the verifier holds the whole file in memory.
 */
export const PACKAGE_MAX_BYTES = 2 ** 31 - 1;

export interface VerifyPackageFileOptions extends VerifyPackageOptions {
  maxBytes?: number;
}

export type PackageFileVerification = PackageVerification & { file: string };

async function sizeOf(path: string): Promise<number> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) {
      throw new FileFormatError('FILE-TYPE', `${path} 不是文件`, {
        location: path,
        hint: '给出数据包文件（.ses.zip）的路径。',
      });
    }
    return stats.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    throw new FileFormatError('FILE-NOT-FOUND', `找不到数据包文件 ${path}`, {
      location: path,
      hint: '检查路径；数据包由 `minjiang share download` 下载，文件名为 <包编号>.ses.zip。',
      cause: error,
    });
  }
}

/**
 * Verifies a `.ses.zip` file offline (exchange.md §8.8): reads it and runs the standards
 * package's `verifyPackage`. Failures of the package are in the result; only an unreadable
 * file throws.
 */
export async function verifyPackageFile(
  path: string,
  options: VerifyPackageFileOptions,
): Promise<PackageFileVerification> {
  const size = await sizeOf(path);
  const maxBytes = options.maxBytes ?? PACKAGE_MAX_BYTES;
  if (size > maxBytes) {
    throw new FileFormatError('FILE-TOO-LARGE', `数据包文件 ${path} 有 ${size} 字节，超过上限 ${maxBytes}`, {
      location: path,
      hint: '请提供方把授权的数据拆成多个数据包。',
    });
  }
  const zip = await readFile(path);
  return { ...verifyPackage(zip, options), file: path };
}

/**
 * The hub key pinned (trust on first use) by `catalog apply`, `data submit` and
 * `share credentials` in `<dir>/.minjiang/hubs/<hub>/state.json`; undefined when none is.
 */
export async function pinnedHubKey(
  baseURL: string,
  dir: string,
): Promise<{ keyId: string; publicKey: string } | undefined> {
  const state = await new CatalogStateStore(join(dir, STATE_DIR), baseURL).readState();
  const key = state?.hub.key;
  return key ? { keyId: key.keyId, publicKey: key.publicKey } : undefined;
}
