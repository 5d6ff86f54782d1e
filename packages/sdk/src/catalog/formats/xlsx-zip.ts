/**
 * The zip container of an xlsx file, checked before exceljs opens it: a truncated or foreign file
 * is refused as corrupt, and a zip bomb (a small file that inflates to gigabytes) is refused from
 * its central directory, and again while inflating, in case the directory lies about the sizes.
 */
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { FileFormatError } from '../../core/errors.js';

const MiB = 1024 * 1024;

export interface ZipLimits {
  /** Largest total of the uncompressed sizes. */
  maxTotalBytes: number;
  /** Largest compression ratio of an entry bigger than `ratioFromBytes`. */
  maxRatio: number;
  ratioFromBytes: number;
  maxEntries: number;
}

/**
 * A national workbook of 10,000 resources with 8 items each inflates to about 60 MiB of XML at a
 * ratio near 8; zip bombs rely on ratios in the thousands.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 256 * MiB,
  maxRatio: 200,
  ratioFromBytes: 1 * MiB,
  maxEntries: 10_000,
};

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  centralOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32 = 0xffffffff;

export function corruptXlsx(file: string, detail: string, cause?: unknown): FileFormatError {
  return new FileFormatError('XLSX-CORRUPT', `${file} 不是完整的 xlsx 文件：${detail}`, {
    location: file,
    hint: '文件可能已损坏，或只复制、下载了一部分。请用 Excel 或 WPS 打开后另存为“Excel 工作簿 (.xlsx)”再试。',
    cause,
  });
}

function zipBomb(file: string, detail: string): FileFormatError {
  return new FileFormatError('XLSX-ZIP-BOMB', `${file} 解压后过大（${detail}），为防范压缩炸弹拒绝读取`, {
    location: file,
    hint: '目录工作簿解压后通常只有几 MiB 到几十 MiB。请确认选对了文件；确实很大的目录请拆成几个文件，或存为 CSV。',
  });
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Where the central directory is, from the end-of-central-directory record (zip64 too). */
async function directoryBounds(handle: FileHandle, size: number, file: string) {
  const tailStart = Math.max(0, size - (22 + 0xffff));
  const tail = await readAt(handle, tailStart, size - tailStart);
  let at = tail.length - 22;
  while (at >= 0 && tail.readUInt32LE(at) !== EOCD) at -= 1;
  if (at < 0) {
    const head = await readAt(handle, 0, 4);
    if (head.length === 4 && head.readUInt32BE(0) === 0xd0cf11e0)
      throw corruptXlsx(file, '这是旧版 .xls 文件，或设置了打开密码');
    throw corruptXlsx(file, '找不到 zip 目录（文件被截断或不是 xlsx）');
  }
  let count = tail.readUInt16LE(at + 10);
  let length = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || length === U32 || offset === U32) {
    const locator = at - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== EOCD64_LOCATOR)
      throw corruptXlsx(file, 'zip64 目录缺失');
    const record = await readAt(handle, Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== EOCD64) throw corruptXlsx(file, 'zip64 目录损坏');
    count = Number(record.readBigUInt64LE(32));
    length = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  if (offset + length > tailStart + at) throw corruptXlsx(file, 'zip 目录超出文件范围（文件被截断）');
  return { count, length, offset };
}

/** Sizes and offset of an entry, with the zip64 extra field where a 32-bit field overflows. */
function entrySizes(directory: Buffer, at: number, extra: Buffer) {
  const sizes = {
    compressedSize: directory.readUInt32LE(at + 20),
    size: directory.readUInt32LE(at + 24),
    localOffset: directory.readUInt32LE(at + 42),
  };
  for (let cursor = 0; cursor + 4 <= extra.length;) {
    const id = extra.readUInt16LE(cursor);
    const length = extra.readUInt16LE(cursor + 2);
    if (id === 0x0001) {
      let field = cursor + 4;
      for (const key of ['size', 'compressedSize', 'localOffset'] as const) {
        if (sizes[key] !== U32 || field + 8 > cursor + 4 + length) continue;
        sizes[key] = Number(extra.readBigUInt64LE(field));
        field += 8;
      }
    }
    cursor += 4 + length;
  }
  return sizes;
}

async function readEntries(
  handle: FileHandle,
  size: number,
  file: string,
  limits: ZipLimits,
): Promise<ZipEntry[]> {
  const bounds = await directoryBounds(handle, size, file);
  if (bounds.count > limits.maxEntries) throw zipBomb(file, `${bounds.count} 个压缩条目`);
  const directory = await readAt(handle, bounds.offset, bounds.length);
  const entries: ZipEntry[] = [];
  for (let at = 0; entries.length < bounds.count;) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) {
      throw corruptXlsx(file, 'zip 目录损坏');
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const flags = directory.readUInt16LE(at + 8);
    const method = directory.readUInt16LE(at + 10);
    entries.push({
      name,
      flags,
      method,
      ...entrySizes(directory, at, extra),
      centralOffset: bounds.offset + at,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function checkDeclared(entries: ZipEntry[], file: string, limits: ZipLimits): void {
  const total = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (total > limits.maxTotalBytes) {
    const detail = `声明的解压大小共 ${Math.round(total / MiB)} MiB，上限 ${Math.round(limits.maxTotalBytes / MiB)} MiB`;
    throw zipBomb(file, detail);
  }
  for (const entry of entries) {
    const ratio = entry.size / Math.max(entry.compressedSize, 1);
    if (entry.size > limits.ratioFromBytes && ratio > limits.maxRatio) {
      throw zipBomb(file, `${entry.name} 的压缩比为 ${Math.round(ratio)}:1`);
    }
  }
}

class InflatedTooMuch extends Error {}

/** Inflates an entry without keeping it, counting bytes, and stops past its declared size. */
async function inflatedSize(path: string, start: number, length: number, limit: number): Promise<number> {
  let count = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      count += chunk.length;
      callback(count > limit ? new InflatedTooMuch() : null);
    },
  });
  if (length === 0) return 0;
  await pipeline(createReadStream(path, { start, end: start + length - 1 }), createInflateRaw(), counter);
  return count;
}

async function checkEntryData(
  handle: FileHandle,
  path: string,
  size: number,
  entry: ZipEntry,
): Promise<void> {
  if (entry.flags & 0x1) throw corruptXlsx(path, `${entry.name} 已加密`);
  const local = await readAt(handle, entry.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL)
    throw corruptXlsx(path, `${entry.name} 的数据缺失`);
  const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + entry.compressedSize > size) throw corruptXlsx(path, `${entry.name} 被截断`);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw corruptXlsx(path, `${entry.name} 的大小不一致`);
    return;
  }
  if (entry.method !== 8) throw corruptXlsx(path, `${entry.name} 使用了不支持的压缩方式 ${entry.method}`);
  let actual: number;
  try {
    actual = await inflatedSize(path, start, entry.compressedSize, entry.size);
  } catch (error) {
    if (error instanceof InflatedTooMuch)
      throw zipBomb(path, `${entry.name} 实际解压超过声明的 ${entry.size} 字节`);
    throw corruptXlsx(path, `${entry.name} 无法解压`, error);
  }
  if (actual !== entry.size) throw corruptXlsx(path, `${entry.name} 解压后的大小与声明不符`);
}

/**
 * Checks an xlsx file's zip container: readable, complete, and within the limits both as
 * declared and as actually inflated. Throws XLSX-CORRUPT or XLSX-ZIP-BOMB.
 */
export async function checkXlsxArchive(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<void> {
  const { size } = await stat(path);
  const handle = await open(path, 'r');
  try {
    const entries = await readEntries(handle, size, path, limits);
    checkDeclared(entries, path, limits);
    for (const entry of entries) await checkEntryData(handle, path, size, entry);
  } finally {
    await handle.close();
  }
}

/** MS-DOS date and time fields of a date, read as UTC so output does not depend on the zone. */
function dosStamp(date: Date): Buffer {
  const stamp = Buffer.alloc(4);
  const time =
    (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107) - 1980;
  stamp.writeUInt16LE(time, 0);
  stamp.writeUInt16LE((year << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(), 2);
  return stamp;
}

/**
 * Sets every entry's modification time in a zip we just wrote, so the same catalog always gives
 * the same bytes (the zip library stamps the current time).
 */
export async function stampZipEntries(path: string, date: Date): Promise<void> {
  const { size } = await stat(path);
  const handle = await open(path, 'r+');
  try {
    const stamp = dosStamp(date);
    const limits = { ...DEFAULT_ZIP_LIMITS, maxEntries: Number.MAX_SAFE_INTEGER };
    for (const entry of await readEntries(handle, size, path, limits)) {
      await handle.write(stamp, 0, 4, entry.centralOffset + 12);
      await handle.write(stamp, 0, 4, entry.localOffset + 10);
    }
  } finally {
    await handle.close();
  }
}
