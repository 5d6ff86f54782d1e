import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, putEntry, resourceCode, transition } from '../../packages/hub/test-utils/catalog.js';
import { buildTestHub, ENGINES, type TestHub } from '../../packages/hub/test-utils/hub.js';
import { verifyAuditExportFile } from '@minjiang/sdk';
import { assertSchema, runCli } from './cli-harness.js';

/**
 * An auditor downloads a real hub's export and verifies it with the SDK alone: what the CLI's
 * `minjiang audit verify` does, without the hub's code on the verifying side.
 */
describe.each(ENGINES)('audit export of a hub on %s, verified by the SDK', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-audit-e2e-'));
  let hub: TestHub;
  let text: string;

  async function download(query = ''): Promise<string> {
    const response = await hub.call(hub.tokens.auditor, {
      method: 'GET',
      url: `/api/v1/audit/export${query}`,
    });
    expect(response.statusCode).toBe(200);
    return response.body;
  }

  function save(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  }

  beforeAll(async () => {
    hub = await buildTestHub(engine, { checkpointEvery: 0 });
    for (let n = 1; n <= 4; n += 1) await putEntry(hub, hub.tokens.officer, catalogEntry(n));
    await hub.call(hub.tokens.auditor, { method: 'POST', url: '/api/v1/audit/checkpoints' });
    await transition(hub, hub.tokens.officer, resourceCode(1), 'submit');
    await transition(hub, hub.tokens.admin, resourceCode(1), 'approve');
    const signed = await hub.call(hub.tokens.auditor, { method: 'POST', url: '/api/v1/audit/checkpoints' });
    expect(signed.statusCode).toBe(201);
    text = await download();
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the whole export against the hub key, checkpoints included', async () => {
    const lines = text.trimEnd().split('\n');
    const size = lines.filter((line) => line.startsWith('{"seq":')).length;
    expect(size).toBeGreaterThan(6);
    await expect(
      verifyAuditExportFile(save('whole.jsonl', text), { publicKey: hub.publicKey }),
    ).resolves.toEqual(expect.objectContaining({ ok: true, size, checkpoints: 2 }));
  });

  it('the built CLI verifies it offline, and names the entry of a tampered one (exit 1)', async () => {
    const whole = save('cli.jsonl', text);
    const ok = await runCli(['audit', 'verify', whole, '--public-key', hub.publicKey, '--json']);
    expect(ok.status).toBe(0);
    assertSchema('audit-verify', ok.json);
    expect(ok.json).toMatchObject({ ok: true, checkpoints: 2, publicKeyChecked: true });
    const lines = text.split('\n');
    lines[3] = (lines[3] as string).replace('\\"result\\":\\"success\\"', '\\"result\\":\\"failure\\"');
    const tampered = save('cli-tampered.jsonl', lines.join('\n'));
    const bad = await runCli(['audit', 'verify', tampered, '--public-key', hub.publicKey]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/第 3 条失败/);
  });

  it('verifies a range on its own', async () => {
    const path = save('range.jsonl', await download('?from=3&to=6'));
    await expect(verifyAuditExportFile(path, { publicKey: hub.publicKey })).resolves.toMatchObject({
      ok: true,
      size: 6,
    });
  });

  it('finds a tampered line, and a key that is not the hub’s', async () => {
    const lines = text.split('\n');
    // Line 3 is entry 3: its leaf changed after the fact no longer hashes to its leaf hash.
    lines[3] = (lines[3] as string).replace('\\"result\\":\\"success\\"', '\\"result\\":\\"failure\\"');
    expect(lines[3]).not.toBe(text.split('\n')[3]);
    await expect(
      verifyAuditExportFile(save('tampered.jsonl', lines.join('\n')), { publicKey: hub.publicKey }),
    ).resolves.toEqual({ ok: false, seq: 3, reason: 'LEAF_HASH_MISMATCH' });
    const other = '04'.padEnd(130, '1');
    await expect(
      verifyAuditExportFile(save('whole.jsonl', text), { publicKey: other }),
    ).resolves.toMatchObject({
      ok: false,
      reason: 'KEY_MISMATCH',
    });
  });
});
