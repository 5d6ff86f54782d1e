/**
 * A minimal, strict ZIP writer and reader for the `.ses.zip` transport file (exchange.md §8.8).
 * Pure: Buffers in, Buffers out. Only what a ses-bag needs: stored or deflated members, UTF-8
 * names, no zip64 (a package of 4 GiB or more is refused), no encryption, no data descriptors.
 * The reader trusts nothing: names that could escape the extraction folder (zip-slip),
 * duplicates, bytes not covered by the central directory and CRC or size mismatches are refused,
 * because a lenient reader would let a tampered package show a different file set to different
 * tools (the ASiC "unreferenced entry" pitfall).
 */
import * as zlib from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Uint8Array;
  /** `deflate` by default; `store` for members that are already compressed. */
  method?: 'store' | 'deflate';
}

export interface ZipEntry {
  name: string;
  data: Buffer;
  method: 'store' | 'deflate';
}

/** Why a zip was refused; `entry` names the member when one is at fault. */
export class ZipError extends Error {
  constructor(
    readonly code: ZipErrorCode,
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'ZipError';
  }
}

export type ZipErrorCode =
  | 'ZIP-STRUCTURE'
  | 'ZIP-TOO-LARGE'
  | 'ZIP-NAME'
  | 'ZIP-DUPLICATE'
  | 'ZIP-ENCRYPTED'
  | 'ZIP-METHOD'
  | 'ZIP-CRC'
  | 'ZIP-SIZE';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const UTF8_FLAG = 0x0800;
const LIMIT = 0xffffffff;

const TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309): node:zlib's when this Node has it, else a table. */
export function crc32(data: Uint8Array): number {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (typeof native === 'function') return native(data) >>> 0;
  let c = 0xffffffff;
  for (const byte of data) c = (TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time of a Date, in UTC so the same package builds the same bytes anywhere. */
function dosTime(date: Date): { time: number; day: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  size: number;
  body: Buffer;
  offset: number;
}

function header(entry: Written, stamp: { time: number; day: number }, central: boolean): Buffer {
  const out = Buffer.alloc(central ? 46 : 30);
  let at = 0;
  const u16 = (v: number) => (at = out.writeUInt16LE(v, at));
  const u32 = (v: number) => (at = out.writeUInt32LE(v >>> 0, at));
  u32(central ? CENTRAL : LOCAL);
  if (central) u16(20); // version made by: 2.0, MS-DOS attributes
  u16(20); // version needed: 2.0 (deflate)
  u16(UTF8_FLAG);
  u16(entry.method);
  u16(stamp.time);
  u16(stamp.day);
  u32(entry.crc);
  u32(entry.body.length);
  u32(entry.size);
  u16(entry.name.length);
  u16(0); // extra field length
  if (central) {
    u16(0); // comment length
    u16(0); // disk number
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(entry.offset);
  }
  return out;
}

/** Writes a zip of the members in the order given; `modified` stamps every member. */
export function writeZip(inputs: readonly ZipInput[], modified: Date): Buffer {
  checkNames(inputs.map((input) => input.name));
  const stamp = dosTime(modified);
  const parts: Buffer[] = [];
  const written: Written[] = [];
  let offset = 0;
  for (const input of inputs) {
    const deflate = input.method !== 'store';
    const body = deflate ? zlib.deflateRawSync(input.data) : Buffer.from(input.data);
    const entry: Written = {
      name: Buffer.from(input.name, 'utf8'),
      method: deflate ? 8 : 0,
      crc: crc32(input.data),
      size: input.data.length,
      body,
      offset,
    };
    const local = header(entry, stamp, false);
    parts.push(local, entry.name, body);
    written.push(entry);
    offset += local.length + entry.name.length + body.length;
  }
  const directory = written.flatMap((entry) => [header(entry, stamp, true), entry.name]);
  const size = directory.reduce((sum, part) => sum + part.length, 0);
  if (offset + size >= LIMIT || written.some((entry) => entry.size >= LIMIT) || written.length > 0xfffe) {
    throw new ZipError('ZIP-TOO-LARGE', 'The package reaches 4 GiB or 65535 members; zip64 is not supported');
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(written.length, 8);
  end.writeUInt16LE(written.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...directory, end]);
}

/**
 * Refuses names that could write outside the extraction folder or mean two things on two
 * systems: absolute paths, drive letters, backslashes, `.`/`..` or empty segments, control
 * characters, and duplicates (also after Unicode normalisation and case folding).
 */
export function checkNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    const bare = name.endsWith('/') ? name.slice(0, -1) : name;
    const segments = bare.split('/');
    const unsafe =
      bare.length === 0 ||
      name.startsWith('/') ||
      /^[A-Za-z]:/.test(name) ||
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
      /[\\\u0000-\u001f\u007f]/.test(name) ||
      segments.some((segment) => segment === '' || segment === '.' || segment === '..');
    if (unsafe) throw new ZipError('ZIP-NAME', `Unsafe member name "${name}"`, name);
    const key = name.normalize('NFC').toLowerCase();
    if (seen.has(key)) throw new ZipError('ZIP-DUPLICATE', `Member "${name}" appears twice`, name);
    seen.add(key);
  }
}

interface CentralRecord {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

function findEnd(zip: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END && at + 22 + zip.readUInt16LE(at + 20) === zip.length) return at;
  }
  throw new ZipError('ZIP-STRUCTURE', 'No end of central directory record: not a zip file');
}

function readCentral(zip: Buffer, at: number): { record: CentralRecord; next: number } {
  if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) {
    throw new ZipError('ZIP-STRUCTURE', `Broken central directory at byte ${at}`);
  }
  const nameLength = zip.readUInt16LE(at + 28);
  const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  if (next > zip.length) throw new ZipError('ZIP-STRUCTURE', `Broken central directory at byte ${at}`);
  const record: CentralRecord = {
    flags: zip.readUInt16LE(at + 8),
    method: zip.readUInt16LE(at + 10),
    crc: zip.readUInt32LE(at + 16),
    compressed: zip.readUInt32LE(at + 20),
    size: zip.readUInt32LE(at + 24),
    offset: zip.readUInt32LE(at + 42),
    name: decodeName(zip.subarray(at + 46, at + 46 + nameLength)),
  };
  return { record, next };
}

function decodeName(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ZipError('ZIP-NAME', 'A member name is not UTF-8');
  }
}

function checkRecord(record: CentralRecord): void {
  const { name } = record;
  if (record.flags & 0x41) throw new ZipError('ZIP-ENCRYPTED', `Member "${name}" is encrypted`, name);
  if (record.method !== 0 && record.method !== 8) {
    throw new ZipError('ZIP-METHOD', `Member "${name}" uses compression method ${record.method}`, name);
  }
  if ([record.compressed, record.size, record.offset].includes(LIMIT)) {
    throw new ZipError('ZIP-TOO-LARGE', `Member "${name}" needs zip64, which is not supported`, name);
  }
  if (record.method === 0 && record.compressed !== record.size) {
    throw new ZipError('ZIP-SIZE', `Stored member "${name}" has two different sizes`, name);
  }
}

/** The member's local header must repeat the central record; returns where its data ends. */
function readMember(zip: Buffer, record: CentralRecord): { entry: ZipEntry; end: number } {
  const { name, offset } = record;
  const broken = () => new ZipError('ZIP-STRUCTURE', `Local header of "${name}" does not match`, name);
  if (offset + 30 > zip.length || zip.readUInt32LE(offset) !== LOCAL) throw broken();
  const nameLength = zip.readUInt16LE(offset + 26);
  const start = offset + 30 + nameLength + zip.readUInt16LE(offset + 28);
  const same =
    zip.readUInt16LE(offset + 6) === record.flags &&
    zip.readUInt16LE(offset + 8) === record.method &&
    zip.readUInt32LE(offset + 14) === record.crc &&
    zip.readUInt32LE(offset + 18) === record.compressed &&
    zip.readUInt32LE(offset + 22) === record.size &&
    zip.subarray(offset + 30, offset + 30 + nameLength).equals(Buffer.from(name, 'utf8'));
  if (!same || start + record.compressed > zip.length) throw broken();
  const body = zip.subarray(start, start + record.compressed);
  let data: Buffer;
  try {
    // The declared size bounds the output, so a zip bomb stops at once.
    data = record.method === 8 ? zlib.inflateRawSync(body, { maxOutputLength: record.size + 1 }) : body;
  } catch {
    throw new ZipError(
      'ZIP-SIZE',
      `Member "${name}" does not inflate to its declared ${record.size} bytes`,
      name,
    );
  }
  if (data.length !== record.size) {
    throw new ZipError('ZIP-SIZE', `Member "${name}" has ${data.length} bytes, not ${record.size}`, name);
  }
  if (crc32(data) !== record.crc)
    throw new ZipError('ZIP-CRC', `CRC-32 of member "${name}" does not match`, name);
  const entry: ZipEntry = {
    name,
    data: Buffer.from(data),
    method: record.method === 8 ? 'deflate' : 'store',
  };
  return { entry, end: start + record.compressed };
}

/**
 * Reads every member, checked. Members must tile the file from byte 0 to the central directory
 * with no gap, so no hidden local entry (seen by streaming readers only) can exist.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  if (zip.length < 22) throw new ZipError('ZIP-STRUCTURE', 'Too short to be a zip file');
  const endAt = findEnd(zip);
  const count = zip.readUInt16LE(endAt + 10);
  const dirSize = zip.readUInt32LE(endAt + 12);
  const dirAt = zip.readUInt32LE(endAt + 16);
  if (zip.readUInt16LE(endAt + 4) !== 0 || zip.readUInt16LE(endAt + 8) !== count || dirAt === LIMIT) {
    throw new ZipError('ZIP-STRUCTURE', 'Multi-disk and zip64 archives are not supported');
  }
  if (dirAt + dirSize !== endAt)
    throw new ZipError('ZIP-STRUCTURE', 'The central directory is not where it is declared');
  const records: CentralRecord[] = [];
  for (let at = dirAt, n = 0; n < count; n++) {
    const { record, next } = readCentral(zip, at);
    records.push(record);
    at = next;
  }
  checkNames(records.map((record) => record.name));
  records.forEach(checkRecord);
  let covered = 0;
  const entries = [...records]
    .sort((a, b) => a.offset - b.offset)
    .map((record) => {
      if (record.offset !== covered)
        throw new ZipError('ZIP-STRUCTURE', `Unreferenced bytes before "${record.name}"`);
      const { entry, end } = readMember(zip, record);
      covered = end;
      return entry;
    });
  if (covered !== dirAt)
    throw new ZipError('ZIP-STRUCTURE', 'Unreferenced bytes before the central directory');
  return entries;
}
