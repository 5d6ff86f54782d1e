import { inspect } from 'node:util';
import type { Lang } from '@minjiang/standards';
import { UsageError } from '../exit-codes.js';
import { say } from '../lang.js';
import { fileDelete, fileGet, fileSet } from './file-store.js';
import { checkProfileName, normalizeHub } from './hub-url.js';
import {
  KEYCHAIN_SERVICE,
  KeychainUnavailable,
  systemKeychain,
  type Keychain,
  type KeychainFailure,
} from './keychain.js';
import { TEXT } from './messages.js';
import { locate, type LocationOptions } from './paths.js';
import { profileSettings, readProfiles } from './profiles.js';

/**
 * Where a command's hub and token come from: `MINJIANG_TOKEN` (with `MINJIANG_HUB`) overrides
 * everything, for CI; else the OS keychain; else the 0600 credentials file where no keychain
 * answers. Profiles (config.json) say which hub a name means and never hold a token.
 */

export type CredentialSource = 'env' | 'keychain' | 'file' | 'none';

// A type, not an interface: callers pass it where a Record of message parameters is wanted.
export type ResolvedCredentials = {
  /** The hub's base URL, normalised; '' when neither a flag, the env nor the profile names one. */
  hub: string;
  /** The only place the token appears: JSON, toString() and inspect() of this object hide it. */
  token?: string;
  profile: string;
  source: CredentialSource;
};

export interface StoreOptions extends LocationOptions {
  /**
   * The keychain; null for none (file store only). By default the OS keychain, unless
   * `MINJIANG_KEYRING=off` (CI, tests) says to use the file store alone.
   */
  keychain?: Keychain | null;
}

export interface ResolveOptions extends StoreOptions {
  profile?: string;
  hub?: string;
  /** Where the overrides are read (MINJIANG_TOKEN, MINJIANG_HUB, MINJIANG_PROFILE); `{}` for none. */
  env?: NodeJS.ProcessEnv;
}

export interface TokenTarget extends StoreOptions {
  profile: string;
  hub: string;
}

/** Why a token went to the file: the keychain was switched off, did not answer, or failed. */
export interface KeychainFallback {
  reason: 'off' | KeychainFailure;
  /** What the platform said, when it said something. */
  detail?: string;
}

export interface SaveResult {
  store: 'keychain' | 'file';
  /** The keychain entry (`minjiang/<profile>@<hub>`) or the credentials file's path. */
  location: string;
  /** Set when the file store was used. */
  fallback?: KeychainFallback;
}

const REDACTED = '[REDACTED]';

function keychainOf(options: StoreOptions): Keychain | null {
  if (options.keychain !== undefined) return options.keychain;
  return process.env.MINJIANG_KEYRING?.toLowerCase() === 'off' ? null : systemKeychain();
}

/** The keychain account, and the file store's key: one token per profile and hub. */
export function accountOf(profile: string, hub: string): string {
  return `${profile}@${hub}`;
}

/** Credentials whose token shows only when asked for by name. */
function credentials(fields: ResolvedCredentials): ResolvedCredentials {
  const result = { ...fields };
  const redacted = () => ({ ...result, ...(result.token !== undefined ? { token: REDACTED } : {}) });
  Object.defineProperties(result, {
    toJSON: { value: redacted },
    toString: { value: () => `${result.profile}@${result.hub || '-'} (${result.source})` },
    [inspect.custom]: { value: redacted },
  });
  return result;
}

/** The stored token of a profile and hub: the keychain first, then the file. */
async function lookup(
  account: string,
  dir: string,
  lang: Lang,
  keychain: Keychain | null,
): Promise<Pick<ResolvedCredentials, 'source' | 'token'>> {
  if (keychain) {
    try {
      const token = await keychain.get(account);
      if (token) return { source: 'keychain', token };
    } catch {
      // No keychain answers here; a token saved meanwhile is in the file.
    }
  }
  const token = await fileGet(dir, account, lang);
  return token ? { source: 'file', token } : { source: 'none' };
}

/** The hub and token for a command. Never throws for a missing token: `source` is then 'none'. */
export async function resolveCredentials(options: ResolveOptions = {}): Promise<ResolvedCredentials> {
  const { dir, lang } = locate(options);
  const env = options.env ?? process.env;
  const file = await readProfiles({ configDir: dir, lang });
  const profile = options.profile ?? (env.MINJIANG_PROFILE || file.defaultProfile);
  const named = options.hub ?? (env.MINJIANG_HUB || profileSettings(file, profile)?.hub);
  const hub = named ? normalizeHub(named, lang) : '';
  // CI secrets often end in a newline.
  const envToken = env.MINJIANG_TOKEN?.trim();
  if (envToken) return credentials({ hub, token: envToken, profile, source: 'env' });
  if (!hub) return credentials({ hub, profile, source: 'none' });
  return credentials({
    hub,
    profile,
    ...(await lookup(accountOf(profile, hub), dir, lang, keychainOf(options))),
  });
}

function checkToken(token: string, lang: Lang): string {
  const trimmed = token.trim();
  if (!/^[^\s\p{Cc}]{1,4096}$/u.test(trimmed))
    throw new UsageError('TOKEN-INVALID', say(TEXT.badToken, lang), { hint: say(TEXT.badTokenHint, lang) });
  return trimmed;
}

function fallbackOf(error: unknown, token: string): KeychainFallback {
  if (!(error instanceof KeychainUnavailable)) return { reason: 'unavailable' };
  return { reason: error.reason, detail: error.detail.replaceAll(token, REDACTED) };
}

/**
 * Saves a token in the OS keychain, or in the 0600 credentials file when no keychain answers;
 * the result says which, and why the file, so the CLI can tell the user.
 */
export async function saveToken(options: TokenTarget & { token: string }): Promise<SaveResult> {
  const { dir, lang } = locate(options);
  const account = accountOf(checkProfileName(options.profile, lang), normalizeHub(options.hub, lang));
  const token = checkToken(options.token, lang);
  const keychain = keychainOf(options);
  let fallback: KeychainFallback = { reason: 'off' };
  if (keychain) {
    try {
      await keychain.set(account, token);
      // An older token for the same account, saved while no keychain answered, goes: otherwise a
      // secret the user believes is in the keychain would stay on disk. Best effort: the save
      // itself has succeeded, and a refused file is reported when it is next read.
      await fileDelete(dir, account, lang).catch(() => false);
      return { store: 'keychain', location: `${KEYCHAIN_SERVICE}/${account}` };
    } catch (error) {
      fallback = fallbackOf(error, token);
    }
  }
  return { store: 'file', location: await fileSet(dir, account, token, lang), fallback };
}

/** Forgets a profile's token in both stores (logout). Idempotent; whether one was removed. */
export async function deleteToken(options: TokenTarget): Promise<boolean> {
  const { dir, lang } = locate(options);
  const account = accountOf(options.profile, normalizeHub(options.hub, lang));
  const keychain = keychainOf(options);
  let removed = false;
  if (keychain) {
    try {
      removed = await keychain.delete(account);
    } catch {
      // No keychain answers: nothing of ours can be reached there.
    }
  }
  const fromFile = await fileDelete(dir, account, lang);
  return removed || fromFile;
}
