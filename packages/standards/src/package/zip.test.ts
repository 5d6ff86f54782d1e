import { describe, expect, it } from 'vitest';
import { crc32, readZip, writeZip, ZipError, type ZipInput } from './zip.js';

const when = new Date('2025-06-01T02:05:00Z');

function zipOf(inputs: ZipInput[]): Buffer {
  return writeZip(inputs, when);
}

/** Replaces every occurrence of a byte string (same length: names in local and central headers). */
function patch(zip: Buffer, from: string, to: string): Buffer {
  expect(Buffer.byteLength(from)).toBe(Buffer.byteLength(to));
  const out = Buffer.from(zip);
  const needle = Buffer.from(from);
  for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, at + 1)) Buffer.from(to).copy(out, at);
  return out;
}

function refusal(zip: Buffer): ZipError {
  try {
    readZip(zip);
  } catch (error) {
    if (error instanceof ZipError) return error;
    throw error;
  }
  throw new Error('the zip was accepted');
}

const centralAt = (zip: Buffer) => zip.readUInt32LE(zip.length - 22 + 16);

describe('writeZip / readZip', () => {
  it('round-trips stored and deflated members with UTF-8 names, in order', () => {
    const zip = zipOf([
      { name: 'bag/数据/户籍.csv', data: Buffer.from('hh,xm\r\n0001,张**\r\n') },
      { name: 'bag/raw.gz', data: Buffer.from([1, 2, 3, 0, 255]), method: 'store' },
      { name: 'empty.txt', data: Buffer.alloc(0) },
    ]);
    const entries = readZip(zip);
    expect(entries.map((entry) => [entry.name, entry.method])).toEqual([
      ['bag/数据/户籍.csv', 'deflate'],
      ['bag/raw.gz', 'store'],
      ['empty.txt', 'deflate'],
    ]);
    expect(entries[0]?.data.toString('utf8')).toBe('hh,xm\r\n0001,张**\r\n');
    expect([...(entries[1]?.data ?? [])]).toEqual([1, 2, 3, 0, 255]);
    // The UTF-8 name flag (bit 11) is set in the first local header.
    expect(zip.readUInt16LE(6) & 0x0800).toBe(0x0800);
  });

  it('computes CRC-32 as ISO 3309 does', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it.each([
    ['/abs/x', 'an absolute path'],
    ['a/../x', 'a .. segment'],
    ['C:/x', 'a drive letter'],
    ['a\\b', 'a backslash'],
    ['a//b', 'an empty segment'],
  ])('the writer refuses %s (%s)', (name) => {
    expect(() => zipOf([{ name, data: Buffer.from('x') }])).toThrow(ZipError);
  });

  it('refuses an absolute member name', () => {
    const zip = patch(zipOf([{ name: 'xetc/passwd', data: Buffer.from('x') }]), 'xetc/passwd', '/etc/passwd');
    expect(refusal(zip)).toMatchObject({ code: 'ZIP-NAME', entry: '/etc/passwd' });
  });

  it('refuses a .. segment (zip-slip)', () => {
    const zip = patch(zipOf([{ name: 'bag/ab/x', data: Buffer.from('x') }]), 'bag/ab/x', 'bag/../x');
    expect(refusal(zip).code).toBe('ZIP-NAME');
  });

  it('refuses duplicate names, also when they differ only in case', () => {
    const two = [
      { name: 'bag/a1', data: Buffer.from('x') },
      { name: 'bag/a2', data: Buffer.from('y') },
    ];
    expect(refusal(patch(zipOf(two), 'bag/a2', 'bag/a1')).code).toBe('ZIP-DUPLICATE');
    expect(refusal(patch(zipOf(two), 'bag/a2', 'bag/A1')).code).toBe('ZIP-DUPLICATE');
  });

  it('refuses encrypted entries', () => {
    const zip = zipOf([{ name: 'secret', data: Buffer.from('x') }]);
    zip.writeUInt16LE(zip.readUInt16LE(6) | 1, 6);
    const central = centralAt(zip);
    zip.writeUInt16LE(zip.readUInt16LE(central + 8) | 1, central + 8);
    expect(refusal(zip).code).toBe('ZIP-ENCRYPTED');
  });

  it('refuses an entry whose CRC does not match its data', () => {
    const zip = zipOf([{ name: 'a.txt', data: Buffer.from('hello'), method: 'store' }]);
    zip[30 + 'a.txt'.length] = 'j'.charCodeAt(0);
    expect(refusal(zip)).toMatchObject({ code: 'ZIP-CRC', entry: 'a.txt' });
  });

  it('refuses an entry whose size does not match its data', () => {
    const zip = zipOf([{ name: 'a.txt', data: Buffer.from('hello hello hello') }]);
    const central = centralAt(zip);
    zip.writeUInt32LE(5, 22);
    zip.writeUInt32LE(5, central + 24);
    expect(refusal(zip).code).toBe('ZIP-SIZE');
  });

  it('refuses bytes no central record covers (a hidden local entry)', () => {
    const zip = zipOf([{ name: 'a.txt', data: Buffer.from('hello') }]);
    const central = centralAt(zip);
    const extra = Buffer.from('PK\u0003\u0004hidden');
    const hidden = Buffer.concat([zip.subarray(0, central), extra, zip.subarray(central)]);
    hidden.writeUInt32LE(central + extra.length, hidden.length - 22 + 16);
    expect(refusal(hidden)).toMatchObject({ code: 'ZIP-STRUCTURE' });
    expect(refusal(hidden).message).toMatch(/Unreferenced/);
  });

  it('refuses what is not a zip, and zip64 markers', () => {
    expect(refusal(Buffer.from('not a zip at all, just some text')).code).toBe('ZIP-STRUCTURE');
    const zip = zipOf([{ name: 'a.txt', data: Buffer.from('hello') }]);
    const central = centralAt(zip);
    zip.writeUInt32LE(0xffffffff, central + 24);
    zip.writeUInt32LE(0xffffffff, 22);
    expect(refusal(zip).code).toBe('ZIP-TOO-LARGE');
  });
});
