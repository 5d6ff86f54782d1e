/** Streaming a package to disk and verifying it offline (exchange.md §8.8). */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { MinjiangError } from '../core/errors.js';
import {
  pinnedHubKey,
  verifyPackageFile,
  type VerifyPackageFileOptions,
} from '../package/verify-package-file.js';
import type { DownloadedPackage } from './types.js';

/** `/ses/r1/packages/<id>`: the id's colons kept, as the hub's `download` link has them. */
export function packagePath(id: string): string {
  return `/ses/r1/packages/${encodeURIComponent(id).replace(/%3A/gi, ':')}`;
}

/** No key to check the package's signature with: verifying against nothing would prove nothing. */
export class PackageKeyError extends MinjiangError {}

interface DownloadTarget {
  id: string;
  path: string;
  baseURL: string;
  stateDir: string | undefined;
  verifyOptions: VerifyPackageFileOptions;
}

async function keysFor(target: DownloadTarget): Promise<string[]> {
  if (target.verifyOptions.publicKeys.length > 0) return [...target.verifyOptions.publicKeys];
  const pinned = await pinnedHubKey(target.baseURL.replace(/\/$/, ''), target.stateDir ?? process.cwd());
  if (pinned) return [pinned.publicKey];
  throw new PackageKeyError('PACKAGE-NO-KEY', '没有用于验证数据包签名的枢纽公钥', {
    hint: '在本目录运行一次 `minjiang share credentials`（首次使用即固定枢纽公钥），或传入 publicKeys。',
  });
}

function signatureOf(header: string | null): unknown {
  if (!header) return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as unknown;
  } catch {
    // A header that is not base64 JSON proves nothing; the signature inside the zip is checked anyway.
    return undefined;
  }
}

/** Writes the body to `<path>.<random>.part`, hashing it on the way, then renames it into place. */
async function writeBody(response: Response, path: string): Promise<{ bytes: number; digest: string }> {
  if (!response.body) throw new MinjiangError('PACKAGE-EMPTY', '枢纽的回答没有数据包内容');
  await mkdir(dirname(path), { recursive: true });
  const part = `${path}.${randomBytes(4).toString('hex')}.part`;
  const hash = createHash('sm3');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(source, counter, createWriteStream(part, { mode: 0o600 }));
    await rename(part, path);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
  return { bytes, digest: `sm3:${hash.digest('hex')}` };
}

/** Streams the zip to its file, then verifies the file with the given or pinned keys. */
export async function downloadTo(response: Response, target: DownloadTarget): Promise<DownloadedPackage> {
  const publicKeys = await keysFor(target).catch(async (error: unknown) => {
    // The body is not needed any more: release the connection.
    await response.body?.cancel();
    throw error;
  });
  const { bytes, digest } = await writeBody(response, target.path);
  const verification = await verifyPackageFile(target.path, { ...target.verifyOptions, publicKeys });
  const signature = signatureOf(response.headers.get('ses-package-signature'));
  return {
    id: target.id,
    file: target.path,
    bytes,
    digest,
    ...(signature !== undefined ? { signature } : {}),
    verification,
  };
}
