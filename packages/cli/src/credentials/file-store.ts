import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang } from '@minjiang/standards';
import { CredentialsError } from '../exit-codes.js';
import { say } from '../lang.js';
import { POSIX_MODES, writeFileAtomic } from './atomic-write.js';
import { TEXT } from './messages.js';
import { CREDENTIALS_FILE } from './paths.js';

/**
 * The file store: tokens by keychain account (`<profile>@<hub>`) in credentials.json, mode
 * 0600, for machines where no OS keychain answers (servers, CI, containers). It is read only
 * when it is private to its owner, as ssh treats a private key.
 */

interface TokenFile {
  version: 1;
  tokens: Record<string, string>;
}

const PRIVATE = 0o600;

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

export function credentialsPath(dir: string): string {
  return join(dir, CREDENTIALS_FILE);
}

function invalid(path: string, problem: string, lang: Lang): CredentialsError {
  return new CredentialsError(
    'CREDENTIALS-INVALID',
    say(TEXT.badFile, lang, { path, problem, what: say(TEXT.credentialsWhat, lang) }),
    { location: path, hint: say(TEXT.badCredentialsHint, lang) },
  );
}

function checkPrivate(path: string, mode: number, uid: number, lang: Lang): void {
  if (!POSIX_MODES) return;
  if ((mode & 0o077) !== 0)
    throw new CredentialsError('CREDENTIALS-EXPOSED', say(TEXT.exposed, lang, { path, mode: octal(mode) }), {
      location: path,
      hint: say(TEXT.exposedHint, lang, { path }),
    });
  if (process.getuid && uid !== process.getuid())
    throw new CredentialsError('CREDENTIALS-OWNER', say(TEXT.foreign, lang, { path }), {
      location: path,
      hint: say(TEXT.foreignHint, lang),
    });
}

/** Never echoes the file: a parse error message would quote part of it, and it holds tokens. */
function parseTokens(text: string, path: string, lang: Lang): Map<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid(path, 'not JSON', lang);
  }
  const tokens = (data as Partial<TokenFile> | null)?.tokens;
  if (tokens === null || typeof tokens !== 'object' || Array.isArray(tokens))
    throw invalid(path, 'no "tokens" object', lang);
  return new Map(
    Object.entries(tokens).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The tokens in the file; none when it does not exist. Refuses a file others can access. */
async function readTokens(dir: string, lang: Lang): Promise<Map<string, string> | null> {
  const path = credentialsPath(dir);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    // The mode is read from the open handle, so the file checked is the file read.
    const stats = await handle.stat();
    checkPrivate(path, stats.mode, stats.uid, lang);
    return parseTokens(await handle.readFile('utf8'), path, lang);
  } finally {
    await handle.close();
  }
}

async function writeTokens(dir: string, tokens: Map<string, string>, lang: Lang): Promise<void> {
  const path = credentialsPath(dir);
  const file: TokenFile = { version: 1, tokens: Object.fromEntries(tokens) };
  const mode = await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, PRIVATE);
  if (POSIX_MODES && mode !== PRIVATE) {
    // A file system that ignores modes: take the token back out rather than leave it readable.
    await rm(path, { force: true });
    throw new CredentialsError('CREDENTIALS-MODE', say(TEXT.modeNotKept, lang, { path, mode: octal(mode) }), {
      location: path,
      hint: say(TEXT.modeNotKeptHint, lang),
    });
  }
}

export async function fileGet(dir: string, account: string, lang: Lang): Promise<string | undefined> {
  return (await readTokens(dir, lang))?.get(account);
}

/** Saves a token; returns the file's path. */
export async function fileSet(dir: string, account: string, token: string, lang: Lang): Promise<string> {
  const tokens = (await readTokens(dir, lang)) ?? new Map<string, string>();
  tokens.set(account, token);
  await writeTokens(dir, tokens, lang);
  return credentialsPath(dir);
}

/** Removes a token; whether there was one. The file goes when its last token does. */
export async function fileDelete(dir: string, account: string, lang: Lang): Promise<boolean> {
  const tokens = await readTokens(dir, lang);
  if (!tokens?.delete(account)) return false;
  if (tokens.size === 0) await rm(credentialsPath(dir), { force: true });
  else await writeTokens(dir, tokens, lang);
  return true;
}
