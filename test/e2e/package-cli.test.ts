import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackage, generateSm2KeyPair, readZip, sm2Sign, writeZip } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSchema, runCli } from './cli-harness.js';

// `minjiang package verify` is offline: no hub runs here; --hub-key reads the key a command pinned.
const HUB_KEY = generateSm2KeyPair();
const HUB_URL = 'http://127.0.0.1:8750';
const BAG = 'urn_ses_pkg_350000_2025_000456';
const dir = mkdtempSync(join(tmpdir(), 'minjiang-pkg-e2e-'));
let good: string;
let tampered: string;

interface VerifyJson {
  ok: boolean;
  rows: number;
  hubKeyId?: string;
  failures: { step: number; code: string; file?: string; message: string }[];
}

beforeAll(async () => {
  const built = await buildPackage({
    id: 'urn:ses:pkg:350000:2025:000456',
    grant: 'urn:ses:grant:350000:2025:000123',
    recipient: '350100/GOV/11350100MB0123456X/MZJ-JZ',
    dataset: 'urn:ses:ds:350000:11350000003591037R:350000A01/1',
    masking: 'MP-STD-01',
    sourceOrganisation: '福建省公安厅',
    created: new Date('2025-06-01T02:05:00Z'),
    expires: new Date('2025-07-01T00:00:00Z'),
    table: {
      name: 'households',
      fields: [
        { name: 'hh', type: 'string', 'ses:pii': 'pseudonym', 'ses:pseudonymKey': 'recipient' },
        { name: 'xm', type: 'string', 'ses:pii': 'name', 'ses:masking': 'keep-first-1' },
      ],
      primaryKey: ['hh'],
    },
    rows: [
      ['000123', '张**'],
      ['000124', '李**'],
    ],
    signers: [{ keyId: 'hub#sign-1', sign: (text) => sm2Sign(text, HUB_KEY.privateKey) }],
  });
  good = join(dir, built.fileName);
  writeFileSync(good, built.zip);
  // One payload byte changed and the zip rebuilt (valid CRCs): only the bag's own checks can tell.
  const members = readZip(built.zip).map((entry) =>
    entry.name.endsWith('households.csv')
      ? { name: entry.name, data: Buffer.from(entry.data.toString('utf8').replace('000124', '000125')) }
      : { name: entry.name, data: entry.data },
  );
  tampered = join(dir, 'tampered.ses.zip');
  writeFileSync(tampered, writeZip(members, new Date('2025-06-01T02:05:00Z')));
  // The hub key as `share credentials` / `data submit` pin it, in .minjiang/ of the working folder.
  const state = join(dir, '.minjiang', 'hubs', '127.0.0.1_8750');
  mkdirSync(state, { recursive: true });
  const key = { keyId: 'hub#sign-1', publicKey: HUB_KEY.publicKey, pinnedAt: '2025-06-01T00:00:00Z' };
  writeFileSync(
    join(state, 'state.json'),
    JSON.stringify({
      format: 'minjiang-catalog-state/1',
      hub: { baseURL: HUB_URL, key },
      updatedAt: '',
      resources: {},
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('minjiang package verify (built CLI)', () => {
  it('exits 0 for a valid package, with a --json result matching its schema', async () => {
    const run = await runCli([
      'package',
      'verify',
      good,
      '--key',
      HUB_KEY.publicKey,
      '--grant',
      'urn:ses:grant:350000:2025:000123',
      '--json',
    ]);
    expect(run.status).toBe(0);
    assertSchema('package-verify', run.json);
    expect(run.json).toMatchObject({ ok: true, rows: 2, files: 1, failures: [], signedBy: ['hub#sign-1'] });
  });

  it('uses the pinned hub key with --hub-key, offline', async () => {
    const run = await runCli(['package', 'verify', good, '--hub-key', '--hub', HUB_URL, '--json'], {
      cwd: dir,
    });
    expect(run.status).toBe(0);
    assertSchema('package-verify', run.json);
    expect((run.json as VerifyJson).hubKeyId).toBe('hub#sign-1');
  });

  it('exits 1 for a tampered copy; the JSON names the file, step and code', async () => {
    const run = await runCli(['package', 'verify', tampered, '--key', HUB_KEY.publicKey, '--json']);
    expect(run.status).toBe(1);
    assertSchema('package-verify', run.json);
    const result = run.json as VerifyJson;
    expect(result.ok).toBe(false);
    expect(result.failures.map(({ step, code, file }) => ({ step, code, file }))).toEqual([
      { step: 4, code: 'PKG-131', file: `${BAG}/data/households.csv` },
      { step: 4, code: 'PKG-131', file: `${BAG}/data/households.csv` },
      { step: 6, code: 'PKG-155', file: `${BAG}/data/households.csv` },
    ]);
  });

  it('prints each failure for people, zh-CN by default and English with --lang en', async () => {
    const zh = await runCli(['package', 'verify', tampered, '--key', HUB_KEY.publicKey]);
    expect(zh.status).toBe(1);
    expect(zh.stdout).toContain('[第 4 步] PKG-131');
    const en = await runCli(['package', 'verify', tampered, '--key', HUB_KEY.publicKey, '--lang', 'en']);
    expect(en.stdout).toContain(`[step 6] PKG-155 ${BAG}/data/households.csv:`);
  });

  it('exits 2 without a key, with a malformed key, or with no pinned hub key', async () => {
    const none = await runCli(['package', 'verify', good, '--json']);
    expect(none.status).toBe(2);
    expect(none.json).toMatchObject({ error: { code: 'PACKAGE-NO-KEY', exitCode: 2 } });
    expect((await runCli(['package', 'verify', good, '--key', 'abc'])).status).toBe(2);
    const unpinned = await runCli(['package', 'verify', good, '--hub-key', '--hub', 'http://127.0.0.1:9']);
    expect(unpinned.status).toBe(2);
    expect(unpinned.stderr).toContain('PACKAGE-HUB-KEY');
  });

  it('exits 2 for a file that does not exist', async () => {
    const run = await runCli(['package', 'verify', join(dir, 'missing.ses.zip'), '--key', HUB_KEY.publicKey]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('FILE-NOT-FOUND');
  });
});
