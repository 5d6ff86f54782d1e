import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteToken, resolveCredentials, saveToken } from './credentials.js';
import { credentialsPath } from './file-store.js';
import { KeychainUnavailable, withTimeout, type Keychain } from './keychain.js';
import { setProfile } from './profiles.js';

const HUB = 'https://hub.example.gov.cn';
const TOKEN = 'mj_0123456789abcdef_SECRETsecretSECRETsecretSECRETsecretSECRETs';

/** A keychain in memory, as on a desktop where one answers. */
function memoryKeychain(): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => void entries.set(account, secret),
    delete: async (account) => entries.delete(account),
  };
}

/** Everything a token could leak through, as one string. */
function surfaces(value: unknown): string {
  const error =
    value instanceof Error ? [value.message, value.stack, String((value as { hint?: string }).hint)] : [];
  return [JSON.stringify(value), String(value), inspect(value, { depth: 5 }), ...error].join('\n');
}

// Each test has its own MINJIANG_CONFIG_DIR, never the real home, and no overrides from the shell.
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minjiang-credentials-'));
  vi.stubEnv('MINJIANG_CONFIG_DIR', dir);
  for (const name of ['MINJIANG_TOKEN', 'MINJIANG_HUB', 'MINJIANG_PROFILE']) vi.stubEnv(name, '');
  vi.stubEnv('MINJIANG_KEYRING', 'off');
  vi.stubEnv('MINJIANG_LANG', 'en');
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('the file store (MINJIANG_KEYRING=off)', () => {
  it('creates credentials.json with mode 0600 and finds the token again', async () => {
    const saved = await saveToken({ profile: 'default', hub: `${HUB}/`, token: `${TOKEN}\n` });
    expect(saved).toEqual({ store: 'file', location: credentialsPath(dir), fallback: { reason: 'off' } });
    expect(statSync(saved.location).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const found = await resolveCredentials({ hub: HUB.toUpperCase().replace('HTTPS', 'https') });
    expect(found).toMatchObject({ hub: HUB, profile: 'default', source: 'file', token: TOKEN });
  });

  it('refuses a credentials file others can read, with the chmod hint and without the token', async () => {
    const { location } = await saveToken({ profile: 'default', hub: HUB, token: TOKEN });
    chmodSync(location, 0o644);
    const refused = await resolveCredentials({ hub: HUB }).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'CREDENTIALS-EXPOSED',
      message: expect.stringContaining('0644') as unknown,
      hint: expect.stringContaining(`chmod 600 ${location}`) as unknown,
    });
    expect(surfaces(refused)).not.toContain(TOKEN);
    await expect(saveToken({ profile: 'default', hub: HUB, token: TOKEN })).rejects.toMatchObject({
      code: 'CREDENTIALS-EXPOSED',
    });
    chmodSync(location, 0o600);
    await expect(resolveCredentials({ hub: HUB })).resolves.toMatchObject({ source: 'file' });
  });

  it('refuses a damaged credentials file without quoting it', async () => {
    const { location } = await saveToken({ profile: 'default', hub: HUB, token: TOKEN });
    const text = readFileSync(location, 'utf8');
    writeFileSync(location, text.slice(0, -10), { mode: 0o600 });
    const refused = await resolveCredentials({ hub: HUB }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'CREDENTIALS-INVALID' });
    expect(surfaces(refused)).not.toContain(TOKEN.slice(0, 20));
  });

  it('forgets a token on logout, idempotently, and removes the file with its last token', async () => {
    await saveToken({ profile: 'default', hub: HUB, token: TOKEN });
    await saveToken({ profile: 'city', hub: 'https://fz.example.gov.cn', token: `${TOKEN}2` });
    await expect(deleteToken({ profile: 'default', hub: HUB })).resolves.toBe(true);
    await expect(deleteToken({ profile: 'default', hub: HUB })).resolves.toBe(false);
    await expect(resolveCredentials({ hub: HUB })).resolves.toMatchObject({ source: 'none' });
    await expect(deleteToken({ profile: 'city', hub: 'https://fz.example.gov.cn' })).resolves.toBe(true);
    expect(() => statSync(credentialsPath(dir))).toThrow(/ENOENT/);
  });
});

describe('resolveCredentials', () => {
  it('lets MINJIANG_TOKEN and MINJIANG_HUB win over a stored token and the profile', async () => {
    await setProfile('default', { hub: HUB });
    await saveToken({ profile: 'default', hub: HUB, token: TOKEN });
    const env = { MINJIANG_TOKEN: 'mj_from_ci\n', MINJIANG_HUB: 'http://127.0.0.1:8750/' };
    await expect(resolveCredentials({ env })).resolves.toMatchObject({
      hub: 'http://127.0.0.1:8750',
      token: 'mj_from_ci',
      source: 'env',
    });
    // A --hub flag still names the hub; the env token goes with it.
    await expect(resolveCredentials({ env, hub: HUB })).resolves.toMatchObject({ hub: HUB, source: 'env' });
    // Logout passes no env: the stored token is what it removes.
    await expect(resolveCredentials({ env: {} })).resolves.toMatchObject({ source: 'file', token: TOKEN });
  });

  it('takes the hub from the default profile, and says when there is no hub or no token', async () => {
    await expect(resolveCredentials()).resolves.toEqual({ hub: '', profile: 'default', source: 'none' });
    await setProfile('city', { hub: 'https://fz.example.gov.cn' });
    await expect(resolveCredentials()).resolves.toEqual({
      hub: 'https://fz.example.gov.cn',
      profile: 'city',
      source: 'none',
    });
  });

  it('shows the token only as the token field: not in JSON, toString() or inspect()', async () => {
    await saveToken({ profile: 'default', hub: HUB, token: TOKEN });
    const found = await resolveCredentials({ hub: HUB });
    expect(found.token).toBe(TOKEN);
    expect(surfaces(found)).not.toContain(TOKEN);
    expect(JSON.parse(JSON.stringify(found))).toMatchObject({ token: '[REDACTED]', source: 'file' });
  });
});

describe('the OS keychain', () => {
  it('is used where one answers, before the file, and logout clears both', async () => {
    const keychain = memoryKeychain();
    await saveToken({ profile: 'default', hub: HUB, token: 'mj_old', keychain: null });
    const saved = await saveToken({ profile: 'default', hub: HUB, token: TOKEN, keychain });
    expect(saved).toEqual({ store: 'keychain', location: `minjiang/default@${HUB}` });
    expect(keychain.entries.get(`default@${HUB}`)).toBe(TOKEN);
    // The older copy in the file went with the save.
    expect(() => statSync(credentialsPath(dir))).toThrow(/ENOENT/);
    await expect(resolveCredentials({ hub: HUB, keychain })).resolves.toMatchObject({ source: 'keychain' });
    await expect(deleteToken({ profile: 'default', hub: HUB, keychain })).resolves.toBe(true);
    expect(keychain.entries.size).toBe(0);
  });

  it('falls back to the file when the keychain fails or hangs, and reports it', async () => {
    const failing: Keychain = {
      get: () => Promise.reject(new KeychainUnavailable('unavailable', `no D-Bus (${TOKEN})`)),
      set: () => Promise.reject(new KeychainUnavailable('unavailable', `no D-Bus (${TOKEN})`)),
      delete: () => Promise.reject(new Error('no D-Bus')),
    };
    const saved = await saveToken({ profile: 'default', hub: HUB, token: TOKEN, keychain: failing });
    expect(saved).toMatchObject({ store: 'file', fallback: { reason: 'unavailable' } });
    expect(surfaces(saved)).not.toContain(TOKEN);
    await expect(resolveCredentials({ hub: HUB, keychain: failing })).resolves.toMatchObject({
      source: 'file',
    });
    await expect(deleteToken({ profile: 'default', hub: HUB, keychain: failing })).resolves.toBe(true);
  });

  it.skipIf(process.platform !== 'linux' || Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))(
    'falls back to the 0600 file on this machine, where no secret service answers',
    async () => {
      vi.stubEnv('MINJIANG_KEYRING', '');
      const started = Date.now();
      const saved = await saveToken({ profile: 'default', hub: HUB, token: TOKEN });
      expect(saved).toMatchObject({
        store: 'file',
        location: credentialsPath(dir),
        fallback: { reason: 'unavailable' },
      });
      expect(statSync(saved.location).mode & 0o777).toBe(0o600);
      await expect(resolveCredentials({ hub: HUB })).resolves.toMatchObject({ source: 'file', token: TOKEN });
      await expect(deleteToken({ profile: 'default', hub: HUB })).resolves.toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
    },
  );

  it('gives up on a keychain call that does not answer, and aborts it', async () => {
    let aborted = false;
    const hanging = withTimeout(20, (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise<string>(() => undefined);
    });
    await expect(hanging).rejects.toMatchObject({ name: 'KeychainUnavailable', reason: 'timeout' });
    expect(aborted).toBe(true);
    await expect(withTimeout(1_000, () => Promise.reject(new Error('AccessDenied')))).rejects.toMatchObject({
      reason: 'unavailable',
      detail: 'AccessDenied',
    });
    await expect(withTimeout(1_000, async () => 'answer')).resolves.toBe('answer');
  });
});
