import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSchema, runCli, startHub, type TestHub } from './cli-harness.js';

// No D-Bus session: the OS keychain cannot answer, as on servers and CI runners.
const config = mkdtempSync(join(tmpdir(), 'minjiang-cli-login-'));
const env = {
  MINJIANG_CONFIG_DIR: config,
  DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
  MINJIANG_KEYRING: '',
};

describe('minjiang login / whoami / logout without a keychain daemon', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub.close();
    rmSync(config, { recursive: true, force: true });
  });

  it('refuses to prompt when stdin is not a terminal, and has no flag for a token', async () => {
    const run = await runCli(['login', '--hub', hub.address, '--json'], { env });
    expect(run.status).toBe(2);
    expect((run.json as { error: { code: string } }).error.code).toBe('NO-TTY');
    expect((await runCli(['login', '--hub', hub.address, '--token', hub.officerToken], { env })).status).toBe(
      2,
    );
  });

  it('checks the token, falls back to a 0600 file and says so', async () => {
    const run = await runCli(
      ['login', '--hub', hub.address, '--profile', 'fuzhou', '--with-token', '--json'],
      {
        env,
        input: `${hub.officerToken}\n`,
      },
    );
    expect(run.status).toBe(0);
    assertSchema('login', run.json);
    const login = run.json as { store: string; location: string; organisation: { id: string } };
    expect(login.store).toBe('file');
    expect(login.organisation.id).toBe(hub.orgId);
    expect(statSync(login.location).mode & 0o777).toBe(0o600);
    expect(run.stdout + run.stderr).not.toContain(hub.officerToken);
    const human = await runCli(['login', '--hub', hub.address, '--profile', 'fuzhou', '--with-token'], {
      env,
      input: hub.officerToken,
    });
    expect(human.stdout).toMatch(/系统钥匙串不可用/);
  });

  it('whoami finds the token in the file store by profile', async () => {
    const run = await runCli(['whoami', '--profile', 'fuzhou', '--json'], { env });
    expect(run.status).toBe(0);
    assertSchema('whoami', run.json);
    expect(run.json).toMatchObject({ source: 'file', roles: ['officer'], hub: hub.address });
  });

  it('MINJIANG_TOKEN wins over the stored token', async () => {
    const run = await runCli(['whoami', '--profile', 'fuzhou', '--json'], {
      env: { ...env, MINJIANG_TOKEN: hub.adminToken },
    });
    expect(run.json).toMatchObject({ source: 'env', roles: ['admin'] });
  });

  it('refuses a token that the hub does not know, and saves nothing', async () => {
    const before = readdirSync(config).sort();
    const run = await runCli(['login', '--hub', hub.address, '--profile', 'other', '--with-token'], {
      env,
      input: `mj_0000000000000000_${'A'.repeat(43)}`,
    });
    expect(run.status).toBe(3);
    expect(readdirSync(config).sort()).toEqual(before);
  });

  it('logout forgets the token', async () => {
    const run = await runCli(['logout', '--profile', 'fuzhou', '--json'], { env });
    expect(run.status).toBe(0);
    assertSchema('logout', run.json);
    expect(run.json).toMatchObject({ removed: true });
    expect((await runCli(['whoami', '--profile', 'fuzhou'], { env })).status).toBe(3);
  });
});
