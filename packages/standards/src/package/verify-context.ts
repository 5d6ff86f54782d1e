import type { Lang } from '../issues.js';
import { renderFinding, type MessageParams } from '../messages/message.js';
import { packageVerifyMessages, type PackageVerifyCode } from './messages.js';

/** One thing wrong with a package, at the step of exchange.md §8.8 that found it. */
export interface PackageFailure {
  /** 1 open the transport file (decryption is not done here), 2 signature, 3 tag files, 4 payload manifests, 5 Payload-Oxum, 6 datapackage.json, 7 grant and recipient. */
  step: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  code: PackageVerifyCode;
  /** The zip member at fault, when one is. */
  file?: string;
  message: string;
  hint?: string;
}

/** What the steps share: the bag's files by bag-relative path, and the failures so far. */
export class VerifyContext {
  readonly failures: PackageFailure[] = [];
  /** Bag-relative path → bytes (regular files only). */
  readonly files = new Map<string, Buffer>();

  constructor(
    readonly bag: string,
    readonly lang: Lang,
  ) {}

  /** The zip member name of a bag-relative path. */
  member(path: string): string {
    return `${this.bag}/${path}`;
  }

  fail(
    step: PackageFailure['step'],
    code: PackageVerifyCode,
    params: MessageParams = {},
    file?: string,
  ): void {
    const issue = renderFinding(packageVerifyMessages, { code, location: file ?? '', params }, this.lang);
    const failure: PackageFailure = { step, code, message: issue.message };
    if (file !== undefined) failure.file = file;
    if (issue.hint !== undefined) failure.hint = issue.hint;
    this.failures.push(failure);
  }

  /** Files of the payload (under data/). */
  payload(): [string, Buffer][] {
    return [...this.files].filter(([path]) => path.startsWith('data/'));
  }

  text(path: string): string | undefined {
    return this.files.get(path)?.toString('utf8');
  }
}

/** True when a path is a relative POSIX path with no `.`/`..` or empty segment, scheme or backslash. */
export function safeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\')) return false;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
