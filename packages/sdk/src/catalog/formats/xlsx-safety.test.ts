import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../core/errors.js';
import { TEMPLATE_EXAMPLE } from './template-guide.js';
import { readCatalogXlsx, writeCatalogTemplate, writeCatalogXlsx } from './xlsx-minjiang.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-unsafe-'));
const MiB = 1024 * 1024;

/** The one error a read throws. */
async function failure(path: string): Promise<FileFormatError> {
  const error = await readCatalogXlsx(path).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileFormatError);
  return error as FileFormatError;
}

/**
 * A raw deflate stream of `mib` MiB of zeros, about 1 KiB per MiB: one fully flushed block of
 * zeros repeated (a full flush makes each copy independent), then an empty final block.
 */
function zeros(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MiB), { finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array<Buffer>(mib).fill(block), deflateRawSync(Buffer.alloc(0))]);
}

/** A zip whose entries declare the given uncompressed sizes, true or not. */
function zipOf(entries: { name: string; data: Buffer; size: number }[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const { name, data, size } of entries) {
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, fileName, data);
    directory.push(central, fileName);
    offset += 30 + fileName.length + data.length;
  }
  const centralDirectory = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralDirectory, end]);
}

describe('a damaged or foreign file', () => {
  it('refuses a truncated copy of a good workbook as XLSX-CORRUPT', async () => {
    const good = join(dir, 'good.xlsx');
    await writeCatalogTemplate(good);
    const bytes = readFileSync(good);
    const truncated = join(dir, 'truncated.xlsx');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await failure(truncated);
    expect(error).toMatchObject({ code: 'XLSX-CORRUPT', location: truncated });
    expect(error.hint).toContain('另存为');
  });

  it('refuses a text file and an old .xls (or password-protected) file as XLSX-CORRUPT', async () => {
    const text = join(dir, 'text.xlsx');
    writeFileSync(text, '信息资源代码,信息资源名称\n');
    expect(await failure(text)).toMatchObject({ code: 'XLSX-CORRUPT' });
    const ole = join(dir, 'old.xlsx');
    writeFileSync(ole, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(4096)]));
    expect((await failure(ole)).message).toContain('.xls');
  });
});

describe('a zip bomb', () => {
  it('refuses an entry declaring 1 GiB of zeros compressed to about 1 MiB, before inflating it', async () => {
    const data = zeros(1024);
    expect(data.length).toBeLessThan(2 * MiB);
    const path = join(dir, 'bomb.xlsx');
    writeFileSync(path, zipOf([{ name: 'xl/worksheets/sheet1.xml', data, size: 1024 * MiB }]));
    const error = await failure(path);
    expect(error).toMatchObject({ code: 'XLSX-ZIP-BOMB', location: path });
    expect(error.message).toContain('1024 MiB');
  });

  it('refuses a compression ratio far beyond any workbook, under the total limit', async () => {
    const path = join(dir, 'ratio.xlsx');
    writeFileSync(path, zipOf([{ name: 'xl/sharedStrings.xml', data: zeros(64), size: 64 * MiB }]));
    const error = await failure(path);
    expect(error).toMatchObject({ code: 'XLSX-ZIP-BOMB' });
    expect(error.message).toContain('压缩比');
  });

  it('stops inflating an entry that lies about its size', async () => {
    const path = join(dir, 'liar.xlsx');
    writeFileSync(path, zipOf([{ name: 'xl/worksheets/sheet1.xml', data: zeros(256), size: 1000 }]));
    const error = await failure(path);
    expect(error).toMatchObject({ code: 'XLSX-ZIP-BOMB' });
    expect(error.message).toContain('实际解压');
  });
});

describe('cells and headers', () => {
  it('refuses a 10 MB cell as CELL-TOO-LARGE with its sheet, row and column', async () => {
    const path = join(dir, 'huge-cell.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('目录');
    sheet.addRow(['信息资源代码', '信息资源名称', '信息资源摘要']);
    // Random text, so the entry compresses like real text and passes the zip-bomb check.
    sheet.addRow(['3350010001/000001', '常住人口', randomBytes(7.5 * MiB).toString('base64')]);
    await workbook.xlsx.writeFile(path);
    const error = await failure(path);
    expect(error).toMatchObject({ code: 'CELL-TOO-LARGE', location: `${path} 目录!C2` });
    expect(error.message).toContain('32767');
  });

  it('refuses a workbook without a catalog header row as XLSX-NO-HEADER', async () => {
    const path = join(dir, 'no-header.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('人员');
    sheet.addRow(['姓名', '年龄']);
    sheet.addRow(['张三', 30]);
    await workbook.xlsx.writeFile(path);
    expect(await failure(path)).toMatchObject({ code: 'XLSX-NO-HEADER', location: path });
  });

  it('refuses to write a value longer than a cell can hold, leaving no file behind', async () => {
    const path = join(dir, 'too-long.xlsx');
    const resource = { ...TEMPLATE_EXAMPLE, summary: '长'.repeat(40_000) };
    const error = await writeCatalogXlsx(path, { resources: [TEMPLATE_EXAMPLE, resource] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'CELL-TOO-LARGE', location: `${path} 目录!I5` });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('too-long'))).toEqual([]);
  });
});
