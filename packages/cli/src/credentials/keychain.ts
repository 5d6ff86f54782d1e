/**
 * The OS keychain through @napi-rs/keyring, imported lazily (a native module: commands that never
 * touch credentials should not load it). Every call is bounded by a timeout and any failure
 * becomes a KeychainUnavailable, so callers fall back to the file store and say so.
 */

/** The keychain service name; the account is `<profile>@<hub>`. */
export const KEYCHAIN_SERVICE = 'minjiang';

/** A keychain that does not answer within this many ms counts as unavailable. */
export const KEYCHAIN_TIMEOUT_MS = 5_000;

/** A secret store keyed by account. `get` gives null and `delete` false when there is none. */
export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** Why the keychain could not be used. */
export type KeychainFailure = 'unavailable' | 'timeout';

export class KeychainUnavailable extends Error {
  constructor(
    readonly reason: KeychainFailure,
    /** What the platform said, for --debug; it never holds the secret (see `redact`). */
    readonly detail: string,
  ) {
    super(`OS keychain ${reason}: ${detail}`);
    this.name = 'KeychainUnavailable';
  }
}

/**
 * On Linux the Secret Service (D-Bus: GNOME Keyring, KWallet) is the keychain. The library's
 * default there also falls back to the kernel keyring (keyutils), which forgets everything at
 * logout and, measured in a container, refuses a second process with AccessDenied: a token
 * "saved" there would be gone by the next command. Pinned, a machine without D-Bus fails at
 * once and the token goes to the 0600 file instead. Other platforms ignore the option.
 */
const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };

interface AsyncEntryLike {
  getPassword(signal?: AbortSignal): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  deletePassword(signal?: AbortSignal): Promise<boolean>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one keychain call with a timeout that also aborts it: a Secret Service that never answers
 * (a D-Bus without its daemon) would otherwise hang the command. Every failure becomes a
 * KeychainUnavailable.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new KeychainUnavailable('timeout', `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    // A keychain that hangs must not keep the CLI alive either.
    timer.unref();
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } catch (error) {
    if (error instanceof KeychainUnavailable) throw error;
    throw new KeychainUnavailable('unavailable', message(error));
  } finally {
    clearTimeout(timer);
  }
}

async function call<T>(
  timeoutMs: number,
  account: string,
  op: (entry: AsyncEntryLike, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return withTimeout(timeoutMs, async (signal) => {
    // Inside the timeout: a platform without a prebuilt binary fails here, as unavailable.
    const { AsyncEntry } = await import('@napi-rs/keyring');
    return op(new AsyncEntry(KEYCHAIN_SERVICE, account, ENTRY_OPTIONS), signal);
  });
}

/** The OS keychain of this machine. Creating it does nothing; each call tries the platform. */
export function systemKeychain(timeoutMs = KEYCHAIN_TIMEOUT_MS): Keychain {
  return {
    get: (account) => call(timeoutMs, account, (entry, signal) => entry.getPassword(signal)),
    set: (account, secret) => call(timeoutMs, account, (entry, signal) => entry.setPassword(secret, signal)),
    delete: (account) => call(timeoutMs, account, (entry, signal) => entry.deletePassword(signal)),
  };
}
