import { open, type FileHandle } from 'node:fs/promises';
import { verifyAuditExport, type AuditVerification } from '@minjiang/standards';
import { FileFormatError } from '../core/errors.js';

/**
 * The largest export read by default: 256 MiB. The verifier holds the whole text and every
 * parsed line in memory, so a bigger file should be exported and verified in ranges
 * (`?from=&to=`), each of which verifies on its own.
 */
export const AUDIT_EXPORT_MAX_BYTES = 256 * 1024 * 1024;

export interface VerifyAuditExportFileOptions {
  /** The hub's SM2 public key (hex, from GET /api/v1/hub/key), obtained out of band to pin it. */
  publicKey?: string;
  /** Refuse files above this many bytes; {@link AUDIT_EXPORT_MAX_BYTES} by default. */
  maxBytes?: number;
}

const MIB = 1024 * 1024;

async function openExport(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new FileFormatError('FILE-NOT-FOUND', `找不到审计日志导出文件 ${path}`, {
        location: path,
        hint: '检查路径；导出文件来自 GET /api/v1/audit/export（审计员角色）。',
        cause: error,
      });
    throw error;
  }
}

/** The export's text: UTF-8 (a leading BOM dropped), refused when it is not a file or too large. */
async function readExport(path: string, maxBytes: number): Promise<string> {
  const handle = await openExport(path);
  try {
    // The size is read from the open handle, so the file checked is the file read.
    const stats = await handle.stat();
    if (!stats.isFile())
      throw new FileFormatError('FILE-TYPE', `${path} 不是文件`, {
        location: path,
        hint: '给出审计日志导出文件（JSON Lines）的路径。',
      });
    if (stats.size > maxBytes)
      throw new FileFormatError(
        'FILE-TOO-LARGE',
        `审计日志导出文件 ${path} 有 ${(stats.size / MIB).toFixed(1)} MiB，超过上限 ${(maxBytes / MIB).toFixed(1)} MiB`,
        { location: path, hint: '按范围分段导出（?from=&to=），每一段都能单独校验。' },
      );
    // Not fatal on bad UTF-8: a damaged byte then shows up as a hash mismatch at its entry.
    return new TextDecoder('utf-8').decode(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/**
 * Verifies a JSON Lines audit export (GET /api/v1/audit/export) offline, with the standards'
 * verifier: the SM3 chain, each leaf's evidence, every signed checkpoint, and that the entries
 * reach the end of the range. A tampered export is a result (`ok: false`, first bad seq and
 * reason), not an error; errors are for files that cannot be read (FileFormatError
 * `FILE-NOT-FOUND`, `FILE-TYPE`, `FILE-TOO-LARGE`).
 */
export async function verifyAuditExportFile(
  path: string,
  options: VerifyAuditExportFileOptions = {},
): Promise<AuditVerification> {
  const text = await readExport(path, options.maxBytes ?? AUDIT_EXPORT_MAX_BYTES);
  return verifyAuditExport(text, options.publicKey);
}
