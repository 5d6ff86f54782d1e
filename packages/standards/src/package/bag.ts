/**
 * Builds a `ses-bag` (exchange.md §8.8): BagIt 1.0 layout, a Frictionless v2 datapackage.json,
 * SM3 and SHA-512 payload manifests, an SM3 tag manifest, and a DSSE signature over the exact
 * tag-manifest bytes, placed beside the bag directory (outside it) at the zip root.
 * Pure: the rows come in (already masked), the zip goes out.
 */
import { createHash } from 'node:crypto';
import type { DsseEnvelope } from '../crypto/dsse.js';
import { sm3Digest, sm3Hex } from '../crypto/sm3.js';
import { validatePackageDescriptor } from '../validate.js';
import {
  BAG_PAYLOAD_TYPE,
  bagNameOf,
  chinaIso,
  csvRecord,
  formatManifest,
  formatTagFile,
  MANIFESTS,
  TAGMANIFEST,
} from './bag-text.js';
import { signDsseBytes, type TextSigner } from './dsse-bytes.js';
import { writeZip, type ZipInput } from './zip.js';

export interface PackageField {
  name: string;
  type: string;
  title?: string;
  description?: string;
  format?: string;
  'ses:pii'?: string;
  'ses:masking'?: string;
  'ses:pseudonymKey'?: string;
  constraints?: Record<string, unknown>;
}

export interface PackageTable {
  /** Resource name and file stem: lower-case letters, digits, `.`, `_`, `-`. */
  name: string;
  title?: string;
  fields: PackageField[];
  primaryKey?: string[];
}

export interface BuildPackageInput {
  /** `urn:ses:pkg:<hub>:<year>:<n>` */
  id: string;
  grant: string;
  recipient: string;
  dataset: string;
  /** Masking profile id (MP-STD-01, …). */
  masking: string;
  sourceOrganisation: string;
  created: Date;
  expires: Date | string;
  table: PackageTable;
  /** Masked values in field order; identifiers stay strings, so leading zeros survive. */
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>;
  /** Rows per file; when set, the table is written as data/<name>-part-0001.csv, … */
  partRows?: number;
  signers: readonly TextSigner[];
  /** The transfer this package serves (SES-Transfer), when the hub tracks one. */
  transfer?: string;
  /** Descriptor name; derived from the id when absent. */
  name?: string;
  title?: string;
  /** The fingerprint scheme recorded in bag-info; `ses-fp-v1` (§8.9) by default. */
  fingerprintScheme?: string;
}

export interface BuiltPackage {
  /** `<bag>.ses.zip` */
  fileName: string;
  bagName: string;
  zip: Buffer;
  /** DSSE envelope over tagmanifest-sm3.txt; also in the zip as `<bag>.sig.json`. */
  signature: DsseEnvelope;
  /** `sm3:<hex>` of the zip. */
  digest: string;
  /** Payload files. */
  files: number;
  /** Data rows (without the header). */
  rows: number;
  /** Bytes of the zip. */
  bytes: number;
  payloadBytes: number;
}

/** The builder refused its input: a descriptor that would not validate, a ragged row, … */
export class PackageBuildError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PackageBuildError';
  }
}

const MAX_PAYLOAD = 0xffffffff - 64 * 1024 * 1024; // room for tag files and zip headers

interface Part {
  path: string;
  chunks: Buffer[];
  bytes: number;
}

async function writeParts(input: BuildPackageInput): Promise<{ parts: Part[]; rows: number }> {
  const { table, partRows } = input;
  if (partRows !== undefined && (!Number.isInteger(partRows) || partRows < 1)) {
    throw new PackageBuildError('PKG-BUILD-INPUT', `partRows must be a positive integer, not ${partRows}`);
  }
  const pathOf = (n: number) =>
    partRows === undefined
      ? `data/${table.name}.csv`
      : `data/${table.name}-part-${String(n).padStart(4, '0')}.csv`;
  // Frictionless multi-part resources concatenate: only the first part carries the header.
  const header = Buffer.from(csvRecord(table.fields.map((field) => field.name)), 'utf8');
  const parts: Part[] = [{ path: pathOf(1), chunks: [header], bytes: header.length }];
  let rows = 0;
  let total = header.length;
  for await (const row of input.rows) {
    if (row.length !== table.fields.length || row.some((value) => typeof value !== 'string')) {
      throw new PackageBuildError(
        'PKG-BUILD-ROW',
        `Row ${rows + 1} has ${row.length} values, not ${table.fields.length} strings`,
      );
    }
    if (partRows !== undefined && rows > 0 && rows % partRows === 0) {
      parts.push({ path: pathOf(parts.length + 1), chunks: [], bytes: 0 });
    }
    const record = Buffer.from(csvRecord(row), 'utf8');
    const part = parts[parts.length - 1] as Part;
    part.chunks.push(record);
    part.bytes += record.length;
    total += record.length;
    rows++;
    if (total > MAX_PAYLOAD)
      throw new PackageBuildError(
        'PKG-BUILD-SIZE',
        'The payload reaches 4 GiB; split the grant into several packages',
      );
  }
  return { parts, rows };
}

function descriptorOf(input: BuildPackageInput, parts: Part[], data: Buffer[]): Record<string, unknown> {
  const { table } = input;
  const whole = Buffer.concat(data);
  const schema: Record<string, unknown> = { fields: table.fields };
  if (table.primaryKey) schema.primaryKey = table.primaryKey;
  const resource: Record<string, unknown> = {
    name: table.name,
    ...(table.title ? { title: table.title } : {}),
    path: input.partRows === undefined ? parts[0]?.path : parts.map((part) => part.path),
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    bytes: whole.length,
    hash: sm3Digest(whole),
    // RFC 4180 as written: comma, double quote, CRLF line ends, a header row.
    dialect: { delimiter: ',', quoteChar: '"', lineTerminator: '\r\n', header: true },
    schema,
  };
  return {
    $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
    name: input.name ?? input.id.replace(/^urn:/, '').replace(/:/g, '-'),
    id: input.id,
    version: '1.0.0',
    created: chinaIso(input.created),
    ...(input.title ? { title: input.title } : {}),
    sources: [{ title: input.sourceOrganisation }],
    'ses:dataset': input.dataset,
    'ses:grant': input.grant,
    'ses:recipient': input.recipient,
    'ses:masking': input.masking,
    'ses:expires': expiresIso(input.expires),
    ...(input.transfer ? { 'ses:transfer': input.transfer } : {}),
    resources: [resource],
  };
}

function expiresIso(expires: Date | string): string {
  const date = expires instanceof Date ? expires : new Date(expires);
  if (Number.isNaN(date.getTime()))
    throw new PackageBuildError('PKG-BUILD-INPUT', `expires is not a date: ${String(expires)}`);
  return chinaIso(date);
}

function checkDescriptor(descriptor: unknown): void {
  const issues = validatePackageDescriptor(descriptor, { lang: 'en' });
  if (issues.length > 0) {
    const detail = issues.map((issue) => `${issue.code} ${issue.location}: ${issue.message}`).join('; ');
    throw new PackageBuildError('PKG-BUILD-DESCRIPTOR', `datapackage.json would not validate: ${detail}`);
  }
}

function bagInfo(input: BuildPackageInput, payloadBytes: number, files: number): string {
  const fields: [string, string][] = [
    ['Source-Organization', input.sourceOrganisation],
    ['Bagging-Date', chinaIso(input.created).slice(0, 10)],
    ['External-Identifier', input.id],
    ['Payload-Oxum', `${payloadBytes}.${files}`],
    ['Bag-Group-Identifier', input.grant],
    ['SES-Grant', input.grant],
    ['SES-Recipient', input.recipient],
    ...(input.transfer ? [['SES-Transfer', input.transfer] as [string, string]] : []),
    ['SES-Masking-Profile', input.masking],
    ['SES-Fingerprint-Scheme', input.fingerprintScheme ?? 'ses-fp-v1'],
    ['SES-Expires', expiresIso(input.expires)],
    ['SES-Package-Version', '1.0'],
  ];
  return formatTagFile(fields);
}

function manifests(files: ReadonlyMap<string, Buffer>): Map<string, string> {
  const out = new Map<string, string>();
  for (const { file, algorithm } of MANIFESTS) {
    const digests = new Map<string, string>();
    for (const [path, data] of files) {
      digests.set(path, algorithm === 'sm3' ? sm3Hex(data) : createHash('sha512').update(data).digest('hex'));
    }
    out.set(file, formatManifest(digests));
  }
  return out;
}

/** The bag's tag files and payload, in zip order, with the tag-manifest bytes. */
function bagFiles(input: BuildPackageInput, descriptor: unknown, payload: Map<string, Buffer>) {
  const payloadBytes = [...payload.values()].reduce((sum, data) => sum + data.length, 0);
  const tags = new Map<string, Buffer>([
    ['bagit.txt', Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')],
    ['bag-info.txt', Buffer.from(bagInfo(input, payloadBytes, payload.size), 'utf8')],
    ['datapackage.json', Buffer.from(`${JSON.stringify(descriptor, null, 2)}\n`, 'utf8')],
  ]);
  for (const [file, text] of manifests(payload)) tags.set(file, Buffer.from(text, 'utf8'));
  const tagDigests = new Map([...tags].map(([path, data]) => [path, sm3Hex(data)] as const));
  const tagmanifest = Buffer.from(formatManifest(tagDigests), 'utf8');
  tags.set(TAGMANIFEST, tagmanifest);
  return { files: new Map([...tags, ...payload]), tagmanifest, payloadBytes };
}

/** Builds, signs and zips a package. Throws PackageBuildError when the input cannot make a valid one. */
export async function buildPackage(input: BuildPackageInput): Promise<BuiltPackage> {
  if (!/^urn:ses:pkg:[0-9]{6}:[0-9]{4}:[0-9]{1,12}$/.test(input.id)) {
    throw new PackageBuildError('PKG-BUILD-INPUT', `Not a package id: ${input.id}`);
  }
  const bagName = bagNameOf(input.id);
  const { parts, rows } = await writeParts(input);
  const data = parts.map((part) => Buffer.concat(part.chunks));
  const descriptor = descriptorOf(input, parts, data);
  checkDescriptor(descriptor);
  const payload = new Map(parts.map((part, i) => [part.path, data[i] as Buffer]));
  const bag = bagFiles(input, descriptor, payload);
  const signature = signDsseBytes(input.signers, BAG_PAYLOAD_TYPE, bag.tagmanifest);
  const members: ZipInput[] = [...bag.files].map(([path, bytes]) => ({
    name: `${bagName}/${path}`,
    data: bytes,
  }));
  members.push({ name: `${bagName}.sig.json`, data: Buffer.from(`${JSON.stringify(signature, null, 2)}\n`) });
  const zip = writeZip(members, input.created);
  return {
    fileName: `${bagName}.ses.zip`,
    bagName,
    zip,
    signature,
    digest: sm3Digest(zip),
    files: payload.size,
    rows,
    bytes: zip.length,
    payloadBytes: bag.payloadBytes,
  };
}
