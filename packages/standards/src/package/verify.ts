/**
 * Offline verification of a `ses-bag` transport file (exchange.md §8.8, "Verification
 * algorithm"). Step 1 here opens the zip strictly instead of decrypting it: decryption (§8.3
 * envelope) happens before this function, which takes the plain zip. Every step runs, so one
 * report lists everything wrong; a step skips only what an earlier failure made unreadable.
 * Pure and synchronous; never throws for any input.
 */
import type { Lang } from '../issues.js';
import { sm3Digest } from '../crypto/sm3.js';
import { BAG_PAYLOAD_TYPE, TAGMANIFEST } from './bag-text.js';
import { openDsseBytes } from './dsse-bytes.js';
import { checkOxum, checkPayload, checkTagFiles, readBagInfo } from './verify-bag.js';
import { VerifyContext, type PackageFailure } from './verify-context.js';
import { checkDescriptor } from './verify-descriptor.js';
import { readZip, ZipError, type ZipEntry } from './zip.js';

export interface VerifyPackageOptions {
  /** SM2 public keys (hex) allowed to sign: the grant's assigner, the hub. */
  publicKeys: readonly string[];
  /** What the package must be for (step 7; the grant's ACTIVE state is the hub's audit log's word). */
  expect?: { grant?: string; recipient?: string };
  /** Language of the messages; zh-CN by default. */
  lang?: Lang;
}

export interface PackageVerification {
  ok: boolean;
  /** Package id, grant and recipient as bag-info.txt (else datapackage.json) says; null when unreadable. */
  id: string | null;
  grant: string | null;
  recipient: string | null;
  /** Payload files and their bytes. */
  files: number;
  bytes: number;
  /** Data rows of the CSV resources (without header rows). */
  rows: number;
  /** `sm3:<hex>` of the transport file: the digest logged at pkg.build and in receipts. */
  digest: string;
  /** Key ids of the signatures that verified with a trusted key. */
  signedBy: string[];
  failures: PackageFailure[];
}

function open(zip: Buffer, lang: Lang): { ctx: VerifyContext; entries: ZipEntry[] } | PackageFailure {
  let entries: ZipEntry[];
  try {
    entries = readZip(zip);
  } catch (error) {
    const detail = error instanceof ZipError ? error.message : String(error);
    const ctx = new VerifyContext('', lang);
    ctx.fail(1, 'PKG-101', { detail }, error instanceof ZipError ? error.entry : undefined);
    return ctx.failures[0] as PackageFailure;
  }
  const dirs = new Set(
    entries.filter((entry) => entry.name.includes('/')).map((entry) => entry.name.split('/')[0]),
  );
  if (dirs.size !== 1) {
    const ctx = new VerifyContext('', lang);
    ctx.fail(1, 'PKG-102', { found: [...dirs].join(', ') || '—' });
    return ctx.failures[0] as PackageFailure;
  }
  const ctx = new VerifyContext([...dirs][0] as string, lang);
  for (const entry of entries) {
    if (entry.name.startsWith(`${ctx.bag}/`) && !entry.name.endsWith('/')) {
      ctx.files.set(entry.name.slice(ctx.bag.length + 1), entry.data);
    }
  }
  return { ctx, entries };
}

/** Step 2: the DSSE envelope at the zip root verifies with a trusted key and signs the bag's tag manifest. */
function checkSignature(ctx: VerifyContext, entries: ZipEntry[], publicKeys: readonly string[]): string[] {
  const name = `${ctx.bag}.sig.json`;
  const file = entries.find((entry) => entry.name === name);
  if (publicKeys.length === 0) ctx.fail(2, 'PKG-115');
  if (!file) {
    ctx.fail(2, 'PKG-111', { file: name }, name);
    return [];
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(file.data.toString('utf8'));
  } catch {
    envelope = undefined;
  }
  if ((envelope as { payloadType?: unknown } | undefined)?.payloadType !== BAG_PAYLOAD_TYPE) {
    ctx.fail(2, 'PKG-112', { expected: BAG_PAYLOAD_TYPE }, name);
    return [];
  }
  if (publicKeys.length === 0) return [];
  const opened = openDsseBytes(envelope, publicKeys, BAG_PAYLOAD_TYPE);
  if (!opened) {
    ctx.fail(2, 'PKG-113', {}, name);
    return [];
  }
  const tagmanifest = ctx.files.get(TAGMANIFEST);
  if (tagmanifest && !opened.payload.equals(tagmanifest)) ctx.fail(2, 'PKG-114', {}, ctx.member(TAGMANIFEST));
  return opened.keyids;
}

/** Zip-root files other than the bag and its signature are extras (step 4: nothing unlisted anywhere). */
function checkRoot(ctx: VerifyContext, entries: ZipEntry[]): void {
  for (const entry of entries) {
    if (entry.name.includes('/') || entry.name === `${ctx.bag}.sig.json`) continue;
    ctx.fail(4, 'PKG-134', { file: entry.name }, entry.name);
  }
}

/** Step 7: the grant and recipient the caller expects. */
function checkExpected(
  ctx: VerifyContext,
  found: { grant: string | null; recipient: string | null },
  expect: VerifyPackageOptions['expect'],
): void {
  const file = ctx.member('bag-info.txt');
  if (expect?.grant !== undefined && found.grant !== expect.grant) {
    ctx.fail(7, 'PKG-161', { expected: expect.grant, found: found.grant ?? '—' }, file);
  }
  if (expect?.recipient !== undefined && found.recipient !== expect.recipient) {
    ctx.fail(7, 'PKG-162', { expected: expect.recipient, found: found.recipient ?? '—' }, file);
  }
}

/** Verifies a `.ses.zip` (decrypted) against trusted signing keys and, optionally, the expected grant and recipient. */
export function verifyPackage(zip: Buffer, options: VerifyPackageOptions): PackageVerification {
  const digest = sm3Digest(zip);
  const opened = open(zip, options.lang ?? 'zh-CN');
  if (!('ctx' in opened)) {
    const empty = { id: null, grant: null, recipient: null, files: 0, bytes: 0, rows: 0, signedBy: [] };
    return { ok: false, ...empty, digest, failures: [opened] };
  }
  const { ctx, entries } = opened;
  const signedBy = checkSignature(ctx, entries, options.publicKeys);
  const tagEntries = checkTagFiles(ctx);
  const info = readBagInfo(ctx);
  checkRoot(ctx, entries);
  const listed = checkPayload(ctx, tagEntries);
  checkOxum(ctx, info);
  const facts = checkDescriptor(ctx, info, listed);
  const found = {
    id: info.get('External-Identifier') ?? facts.id ?? null,
    grant: info.get('SES-Grant') ?? facts.grant ?? null,
    recipient: info.get('SES-Recipient') ?? facts.recipient ?? null,
  };
  checkExpected(ctx, found, options.expect);
  const payload = ctx.payload();
  const failures = [...ctx.failures].sort((a, b) => a.step - b.step);
  return {
    ok: failures.length === 0,
    ...found,
    files: payload.length,
    bytes: payload.reduce((sum, [, data]) => sum + data.length, 0),
    rows: facts.rows,
    digest,
    signedBy,
    failures,
  };
}
