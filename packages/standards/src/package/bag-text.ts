/**
 * The text formats inside a ses-bag: RFC 4180 CSV payloads, BagIt tag files (`Label: value`)
 * and manifests (`<digest>  <path>`), written and read the same way on both sides.
 */

/** The DSSE payload type of the package signature (exchange.md §8.8). */
export const BAG_PAYLOAD_TYPE = 'application/vnd.ses.bag-tagmanifest+sm3;v=1';

/** The tag files every ses-bag has, all listed in tagmanifest-sm3.txt. */
export const TAG_FILES = [
  'bagit.txt',
  'bag-info.txt',
  'datapackage.json',
  'manifest-sm3.txt',
  'manifest-sha512.txt',
] as const;

export const TAGMANIFEST = 'tagmanifest-sm3.txt';

/** Payload manifests and the hex length of their digests. */
export const MANIFESTS = [
  { file: 'manifest-sm3.txt', algorithm: 'sm3', hexLength: 64 },
  { file: 'manifest-sha512.txt', algorithm: 'sha512', hexLength: 128 },
] as const;

/** The bag-info.txt fields of §8.8, each required exactly once. */
export const BAG_INFO_FIELDS = [
  'Source-Organization',
  'Bagging-Date',
  'External-Identifier',
  'Payload-Oxum',
  'Bag-Group-Identifier',
  'SES-Grant',
  'SES-Recipient',
  'SES-Masking-Profile',
  'SES-Fingerprint-Scheme',
  'SES-Expires',
  'SES-Package-Version',
] as const;

/** One CSV field, quoted only when RFC 4180 needs it (comma, quote, CR or LF). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record with its CRLF terminator (RFC 4180 §2). */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * The number of CSV records in the bytes: line breaks (CRLF or LF) outside quotes end a
 * record; a last record without a line break still counts.
 */
export function countCsvRecords(data: Uint8Array): number {
  let records = 0;
  let quoted = false;
  let pending = false;
  for (const byte of data) {
    if (byte === 0x22) quoted = !quoted;
    if (byte === 0x0a && !quoted) {
      records++;
      pending = false;
    } else if (byte !== 0x0d || quoted) {
      pending = true;
    }
  }
  return records + (pending ? 1 : 0);
}

/** BagIt path encoding in manifests: %, CR and LF percent-encoded (RFC 8493 §2.1.3). */
export function encodeManifestPath(path: string): string {
  return path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function decodeManifestPath(path: string): string {
  return path.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

/** A manifest: one `<hex>  <path>` line per file, LF line ends, sorted by path. */
export function formatManifest(entries: ReadonlyMap<string, string>): string {
  return [...entries.keys()]
    .sort()
    .map((path) => `${entries.get(path)}  ${encodeManifestPath(path)}\n`)
    .join('');
}

export interface ParsedManifest {
  entries: Map<string, string>;
  /** 1-based numbers of the lines that are not `<hex> <path>`, or repeat a path. */
  badLines: number[];
}

/** Reads a manifest; digests compare in lower case. */
export function parseManifest(text: string, hexLength: number): ParsedManifest {
  const entries = new Map<string, string>();
  const badLines: number[] = [];
  const pattern = new RegExp(`^([0-9a-fA-F]{${hexLength}})[ \\t]+(\\S(?:.*\\S)?)$`);
  text.split(/\r?\n/).forEach((line, index) => {
    if (line === '') return;
    const match = pattern.exec(line);
    const path = match?.[2] === undefined ? undefined : decodeManifestPath(match[2]);
    if (!match?.[1] || path === undefined || entries.has(path)) badLines.push(index + 1);
    else entries.set(path, match[1].toLowerCase());
  });
  return { entries, badLines };
}

/** A tag file of `Label: value` lines; values never contain line breaks. */
export function formatTagFile(fields: readonly (readonly [string, string])[]): string {
  return fields
    .map(([label, value]) => {
      if (/[\r\n]/.test(value) || /[\r\n:]/.test(label)) throw new TypeError(`Tag ${label} has a line break`);
      return `${label}: ${value}\n`;
    })
    .join('');
}

export interface ParsedTagFile {
  fields: Map<string, string[]>;
  badLines: number[];
}

/** Reads a tag file; a line starting with whitespace continues the previous value (RFC 8493 §2.2.2). */
export function parseTagFile(text: string): ParsedTagFile {
  const fields = new Map<string, string[]>();
  const badLines: number[] = [];
  let last: { label: string; index: number } | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    if (line === '') return;
    const values = last ? fields.get(last.label) : undefined;
    if (/^[ \t]/.test(line) && last && values) {
      values[last.index] = `${values[last.index] ?? ''} ${line.trim()}`;
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      badLines.push(index + 1);
      return;
    }
    const label = line.slice(0, colon).trim();
    const list = fields.get(label) ?? [];
    list.push(line.slice(colon + 1).trim());
    fields.set(label, list);
    last = { label, index: list.length - 1 };
  });
  return { fields, badLines };
}

/** The bag directory (and zip file stem) of a package id: `:` → `_`. */
export function bagNameOf(packageId: string): string {
  return packageId.replace(/:/g, '_');
}

/** An instant as ISO 8601 in China time (UTC+8, no daylight saving), whole seconds. */
export function chinaIso(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}
