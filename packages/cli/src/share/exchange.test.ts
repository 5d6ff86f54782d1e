import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExchangeError } from '@minjiang/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { withAdvice } from './exchange-advice.js';
import {
  grantAccount,
  readGrantCredential,
  saveGrantCredential,
  type GrantCredential,
} from './grant-credentials.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-grant-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CREDENTIAL: GrantCredential = {
  hub: 'http://127.0.0.1:8750',
  grant: 'urn:ses:grant:350000:2026:1',
  client: '350100/GOV/11350100FJ01000501',
  service: '350000/GOV/11350000FJ0000017T/data/3350010001-000001/v1',
  purpose: '0101',
  mode: 'API',
  fields: ['XM'],
  appKey: 'ak_1',
  secret: 'sk_1',
  savedAt: '2026-11-27T00:00:00Z',
};

const refusal = (status: number, code: string, retryAfter?: number) =>
  ExchangeError.generate({
    status,
    code,
    message: code,
    location: 'GET /ses/r1/x/rows',
    retryAfter,
    requestId: 'r1',
  });

describe('grant credential store', () => {
  it('keeps a grant credential in the 0600 file when no keychain is used, by grant and hub', async () => {
    const saved = await saveGrantCredential(CREDENTIAL, { configDir: dir, keychain: null });
    expect(saved).toEqual({ store: 'file', location: join(dir, 'credentials.json') });
    expect(statSync(saved.location).mode & 0o777).toBe(0o600);
    const options = { configDir: dir, keychain: null };
    await expect(readGrantCredential(CREDENTIAL.grant, CREDENTIAL.hub, options)).resolves.toEqual(CREDENTIAL);
    await expect(readGrantCredential(CREDENTIAL.grant, 'http://other', options)).resolves.toBeUndefined();
    expect(grantAccount(CREDENTIAL.grant, CREDENTIAL.hub)).toBe(
      `grant:${CREDENTIAL.grant}@${CREDENTIAL.hub}`,
    );
  });

  it('prefers the keychain when one answers', async () => {
    const entries = new Map<string, string>();
    const keychain = {
      get: async (account: string) => entries.get(account) ?? null,
      set: async (account: string, secret: string) => void entries.set(account, secret),
      delete: async (account: string) => entries.delete(account),
    };
    const saved = await saveGrantCredential({ ...CREDENTIAL, grant: 'g2' }, { configDir: dir, keychain });
    expect(saved).toEqual({ store: 'keychain', location: `minjiang/grant:g2@${CREDENTIAL.hub}` });
    await expect(
      readGrantCredential('g2', CREDENTIAL.hub, { configDir: dir, keychain }),
    ).resolves.toMatchObject({
      appKey: 'ak_1',
    });
  });
});

describe('exchange refusals in the CLI', () => {
  it('maps SES statuses to the exit codes: 401/403 → 3, 429 → 5, 5xx → 6, 400 → 1', () => {
    expect(exitCodeFor(refusal(401, 'CLI.SIG_INVALID'))).toBe(EXIT.auth);
    expect(exitCodeFor(refusal(403, 'HUB.GRANT_SUSPENDED'))).toBe(EXIT.auth);
    expect(exitCodeFor(refusal(429, 'HUB.QUOTA_EXCEEDED', 3600))).toBe(EXIT.partial);
    expect(exitCodeFor(refusal(503, 'HUB.LOG_UNAVAILABLE'))).toBe(EXIT.unreachable);
    expect(exitCodeFor(refusal(400, 'CLI.BAD_REQUEST'))).toBe(EXIT.invalid);
  });

  it('adds advice, Retry-After and the request id, keeping the class and status', () => {
    const advised = withAdvice(refusal(429, 'HUB.QUOTA_EXCEEDED', 3600), 'en') as ExchangeError;
    expect(advised).toMatchObject({ status: 429, code: 'HUB.QUOTA_EXCEEDED', retryAfter: 3600 });
    expect(advised.hint).toBe(
      'Today’s quota is used up: call again in 3600 s (Retry-After). Retry-After: 3600 request id r1',
    );
    expect(exitCodeFor(advised)).toBe(EXIT.partial);
    expect(withAdvice(new Error('x'), 'en')).toBeInstanceOf(Error);
  });
});
