/**
 * Steps 3–5 of the package verification (exchange.md §8.8): the BagIt part. The tag manifest is
 * what the signature covers, so every other tag file must match it; every payload file must
 * match both manifests; nothing unlisted may exist, since a reader that used an unlisted file
 * would trust bytes nobody signed.
 */
import { createHash } from 'node:crypto';
import { sm3Hex } from '../crypto/sm3.js';
import {
  BAG_INFO_FIELDS,
  MANIFESTS,
  parseManifest,
  parseTagFile,
  TAG_FILES,
  TAGMANIFEST,
} from './bag-text.js';
import { safeRelativePath, type VerifyContext } from './verify-context.js';

const TAG_NAMES: ReadonlySet<string> = new Set(TAG_FILES);

const digestOf = (algorithm: string, data: Buffer) =>
  algorithm === 'sm3' ? sm3Hex(data) : createHash(algorithm).update(data).digest('hex');

/** Step 3: tag files present, listed in and matching the tag manifest; bagit.txt and bag-info.txt well-formed. Returns the tag manifest's entries. */
export function checkTagFiles(ctx: VerifyContext): Map<string, string> {
  for (const file of [...TAG_FILES, TAGMANIFEST]) {
    if (!ctx.files.has(file)) ctx.fail(3, 'PKG-121', { file: ctx.member(file) }, ctx.member(file));
  }
  const text = ctx.text(TAGMANIFEST);
  if (text === undefined) return new Map();
  const { entries, badLines } = parseManifest(text, 64);
  for (const line of badLines)
    ctx.fail(3, 'PKG-122', { file: ctx.member(TAGMANIFEST), line }, ctx.member(TAGMANIFEST));
  for (const [path, digest] of entries) {
    const data = ctx.files.get(path);
    const file = ctx.member(path);
    if (data === undefined) ctx.fail(3, 'PKG-125', { manifest: TAGMANIFEST, file }, file);
    else if (sm3Hex(data) !== digest) ctx.fail(3, 'PKG-123', { file }, file);
  }
  for (const path of TAG_FILES) {
    if (ctx.files.has(path) && !entries.has(path))
      ctx.fail(3, 'PKG-124', { file: ctx.member(path) }, ctx.member(path));
  }
  checkBagit(ctx);
  return entries;
}

function checkBagit(ctx: VerifyContext): void {
  const bagit = ctx.text('bagit.txt');
  if (bagit === undefined) return;
  const { fields } = parseTagFile(bagit);
  const version = fields.get('BagIt-Version');
  const encoding = fields.get('Tag-File-Character-Encoding');
  if (version?.join() !== '1.0' || encoding?.join().toUpperCase() !== 'UTF-8') {
    ctx.fail(3, 'PKG-126', {}, ctx.member('bagit.txt'));
  }
}

/** bag-info.txt as one value per label; each required label missing or repeated is a failure (step 3). */
export function readBagInfo(ctx: VerifyContext): Map<string, string> {
  const info = new Map<string, string>();
  const text = ctx.text('bag-info.txt');
  if (text === undefined) return info;
  const file = ctx.member('bag-info.txt');
  const { fields, badLines } = parseTagFile(text);
  for (const line of badLines) ctx.fail(3, 'PKG-122', { file, line }, file);
  for (const [label, values] of fields) if (values.length === 1) info.set(label, values[0] as string);
  for (const label of BAG_INFO_FIELDS) {
    if (fields.get(label)?.length !== 1) ctx.fail(3, 'PKG-127', { field: label }, file);
  }
  return info;
}

/** A payload manifest without its malformed lines and unsafe paths (each a failure). */
function readManifest(
  ctx: VerifyContext,
  manifest: (typeof MANIFESTS)[number],
): Map<string, string> | undefined {
  const text = ctx.text(manifest.file);
  if (text === undefined) return undefined;
  const member = ctx.member(manifest.file);
  const { entries, badLines } = parseManifest(text, manifest.hexLength);
  for (const line of badLines) ctx.fail(4, 'PKG-122', { file: member, line }, member);
  for (const path of [...entries.keys()]) {
    if (path.startsWith('data/') && safeRelativePath(path)) continue;
    ctx.fail(4, 'PKG-135', { manifest: manifest.file, file: path }, member);
    entries.delete(path);
  }
  return entries;
}

/**
 * Step 4: each payload file in both manifests with matching digests; every listed file present;
 * no file in the bag that no manifest lists. Returns the paths listed in both manifests.
 */
export function checkPayload(ctx: VerifyContext, tagEntries: ReadonlyMap<string, string>): Set<string> {
  const listed = MANIFESTS.map((manifest) => ({ manifest, entries: readManifest(ctx, manifest) }));
  const inBoth = new Set<string>();
  for (const [path, data] of ctx.payload()) {
    const file = ctx.member(path);
    const having = listed.filter(({ entries }) => entries?.has(path));
    if (having.length === 0) ctx.fail(4, 'PKG-134', { file }, file);
    else if (having.length < listed.length) {
      const missing = listed.find(({ entries }) => !entries?.has(path))?.manifest.file;
      ctx.fail(4, 'PKG-132', { file, listed: having[0]?.manifest.file, missing }, file);
    } else inBoth.add(path);
    for (const { manifest, entries } of having) {
      if (digestOf(manifest.algorithm, data) !== entries?.get(path)) {
        ctx.fail(
          4,
          'PKG-131',
          { file, algorithm: manifest.algorithm.toUpperCase(), manifest: manifest.file },
          file,
        );
      }
    }
  }
  for (const { manifest, entries } of listed) {
    for (const path of entries?.keys() ?? []) {
      if (!ctx.files.has(path))
        ctx.fail(4, 'PKG-133', { manifest: manifest.file, file: ctx.member(path) }, ctx.member(path));
    }
  }
  // Other tag files are allowed only when the tag manifest (hence the signature) covers them.
  for (const path of ctx.files.keys()) {
    const known =
      path.startsWith('data/') || path === TAGMANIFEST || TAG_NAMES.has(path) || tagEntries.has(path);
    if (!known) ctx.fail(4, 'PKG-134', { file: ctx.member(path) }, ctx.member(path));
  }
  return inBoth;
}

/** Step 5: Payload-Oxum (`octets.files`) against the payload as found. */
export function checkOxum(ctx: VerifyContext, info: ReadonlyMap<string, string>): void {
  const declared = info.get('Payload-Oxum');
  if (declared === undefined) return;
  const payload = ctx.payload();
  const found = `${payload.reduce((sum, [, data]) => sum + data.length, 0)}.${payload.length}`;
  if (declared !== found) ctx.fail(5, 'PKG-141', { expected: declared, found }, ctx.member('bag-info.txt'));
}
