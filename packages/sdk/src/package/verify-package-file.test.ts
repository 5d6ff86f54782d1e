import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackage, generateSm2KeyPair, sm2Sign } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileFormatError } from '../core/errors.js';
import { pinnedHubKey, verifyPackageFile } from './verify-package-file.js';

const KEY = generateSm2KeyPair();
const dir = mkdtempSync(join(tmpdir(), 'minjiang-pkg-'));
let file: string;

beforeAll(async () => {
  const built = await buildPackage({
    id: 'urn:ses:pkg:350000:2025:7',
    grant: 'urn:ses:grant:350000:2025:3',
    recipient: '350100/GOV/11350100MB0123456X/MZJ-JZ',
    dataset: 'urn:ses:ds:350000:11350000003591037R:350000A01/1',
    masking: 'MP-NONE',
    sourceOrganisation: '福建省公安厅',
    created: new Date('2025-06-01T02:05:00Z'),
    expires: '2025-07-01T00:00:00Z',
    table: { name: 'units', fields: [{ name: 'code', type: 'string' }] },
    rows: [['0001'], ['0002']],
    signers: [{ keyId: 'hub#1', sign: (text) => sm2Sign(text, KEY.privateKey) }],
  });
  file = join(dir, built.fileName);
  writeFileSync(file, built.zip);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verifyPackageFile', () => {
  it('verifies a package file offline', async () => {
    const result = await verifyPackageFile(file, { publicKeys: [KEY.publicKey] });
    expect(result).toMatchObject({ ok: true, file, rows: 2, files: 1, failures: [] });
  });

  it('reports a foreign key as a failure, not an exception', async () => {
    const result = await verifyPackageFile(file, { publicKeys: [generateSm2KeyPair().publicKey] });
    expect(result.failures.map((f) => f.code)).toEqual(['PKG-113']);
  });

  it('throws FILE-NOT-FOUND, FILE-TYPE and FILE-TOO-LARGE for files it cannot read', async () => {
    await expect(verifyPackageFile(join(dir, 'nope.ses.zip'), { publicKeys: [] })).rejects.toMatchObject({
      code: 'FILE-NOT-FOUND',
    });
    await expect(verifyPackageFile(dir, { publicKeys: [] })).rejects.toBeInstanceOf(FileFormatError);
    await expect(verifyPackageFile(file, { publicKeys: [], maxBytes: 10 })).rejects.toMatchObject({
      code: 'FILE-TOO-LARGE',
    });
  });
});

describe('pinnedHubKey', () => {
  it('reads the key catalog apply / data submit pinned, and nothing when none is', async () => {
    const hub = 'http://127.0.0.1:8750';
    expect(await pinnedHubKey(hub, dir)).toBeUndefined();
    const state = join(dir, '.minjiang', 'hubs', '127.0.0.1_8750');
    mkdirSync(state, { recursive: true });
    const key = { keyId: 'hub#1', publicKey: KEY.publicKey, pinnedAt: '2025-06-01T00:00:00Z' };
    writeFileSync(
      join(state, 'state.json'),
      JSON.stringify({
        format: 'minjiang-catalog-state/1',
        hub: { baseURL: hub, key },
        updatedAt: '',
        resources: {},
      }),
    );
    expect(await pinnedHubKey(hub, dir)).toEqual({ keyId: 'hub#1', publicKey: KEY.publicKey });
  });
});
