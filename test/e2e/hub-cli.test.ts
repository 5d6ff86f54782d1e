import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The built CLI, as a user runs it (pnpm build first; CI builds before testing).
const BIN = fileURLToPath(new URL('../../packages/cli/bin/run.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-e2e-'));
const env = { ...process.env, MINJIANG_DATABASE_URL: '', MINJIANG_DATA_DIR: '' };

function minjiang(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('minjiang hub (the hub plugin of the CLI)', () => {
  it('init creates the organisations and prints the admin token once, as JSON', () => {
    const first = minjiang('hub', 'init', '--data-dir', dataDir, '--json');
    expect(first.status).toBe(0);
    const result = JSON.parse(first.stdout) as { created: string[]; adminToken: { token: string } | null };
    expect(result.created).toHaveLength(30);
    expect(result.created.some((id) => id.startsWith('350128/GOV/'))).toBe(true);
    expect(result.adminToken?.token).toMatch(/^mj_[0-9a-f]{16}_/);
    const again = JSON.parse(
      minjiang('hub', 'init', '--data-dir', dataDir, '--json').stdout,
    ) as typeof result;
    expect(again.created).toEqual([]);
    expect(again.adminToken).toBeNull();
  });

  it('migrate reports an up-to-date schema', () => {
    const run = minjiang('hub', 'migrate', '--data-dir', dataDir, '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ applied: [], engine: 'sqlite' });
  });

  it('start serves over loopback and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'hub', 'start', '--data-dir', dataDir, '--port', '0'], {
      env,
    });
    const address = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${stderr}`)));
    });
    const version = (await (await fetch(`${address}/api/v1/version`)).json()) as { hub: { code: string } };
    expect(version.hub.code).toBe('350000');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 on an unknown flag', () => {
    expect(minjiang('hub', 'migrate', '--no-such-flag').status).toBe(2);
  });
});
