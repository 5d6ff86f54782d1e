import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveToken } from './credentials.js';
import { normalizeHub } from './hub-url.js';
import { CONFIG_FILE, configDir } from './paths.js';
import { listProfiles, setProfile } from './profiles.js';

const TOKEN = 'mj_0123456789abcdef_SECRETsecretSECRETsecretSECRETsecretSECRETs';

// Each test has its own MINJIANG_CONFIG_DIR, never the real home.
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minjiang-profiles-'));
  vi.stubEnv('MINJIANG_CONFIG_DIR', dir);
  vi.stubEnv('MINJIANG_KEYRING', 'off');
  vi.stubEnv('MINJIANG_LANG', 'en');
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('configDir', () => {
  it('is MINJIANG_CONFIG_DIR, else $XDG_CONFIG_HOME/minjiang, else ~/.config/minjiang', () => {
    expect(configDir({ MINJIANG_CONFIG_DIR: '/etc/mj', XDG_CONFIG_HOME: '/x' })).toBe('/etc/mj');
    expect(configDir({ XDG_CONFIG_HOME: '/x' })).toBe(join('/x', 'minjiang'));
    expect(configDir({ XDG_CONFIG_HOME: 'relative', HOME: '/home/a' })).toBe(
      join('/home/a', '.config', 'minjiang'),
    );
    expect(configDir({})).toBe(join(homedir(), '.config', 'minjiang'));
  });
});

describe('profiles', () => {
  it('lists the profiles set, the first one becoming the default', async () => {
    await expect(listProfiles()).resolves.toEqual([]);
    await setProfile('city', { hub: 'https://FZ.example.gov.cn:443/' });
    await setProfile('province', { hub: 'https://hub.example.gov.cn', org: '350000/GOV/GAT' });
    await expect(listProfiles()).resolves.toEqual([
      { name: 'city', hub: 'https://fz.example.gov.cn', isDefault: true },
      { name: 'province', hub: 'https://hub.example.gov.cn', org: '350000/GOV/GAT', isDefault: false },
    ]);
    expect(JSON.parse(readFileSync(join(dir, CONFIG_FILE), 'utf8'))).toMatchObject({
      defaultProfile: 'city',
    });
  });

  it('never writes a token into config.json, and never reads one from it', async () => {
    await setProfile('default', { hub: 'https://hub.example.gov.cn' });
    await saveToken({ profile: 'default', hub: 'https://hub.example.gov.cn', token: TOKEN });
    expect(readFileSync(join(dir, CONFIG_FILE), 'utf8')).not.toContain(TOKEN);
    const config = { defaultProfile: 'x', profiles: { x: { hub: 'https://a.example', token: 'typed-in' } } };
    writeFileSync(join(dir, CONFIG_FILE), JSON.stringify(config));
    await expect(listProfiles()).resolves.toEqual([{ name: 'x', hub: 'https://a.example', isDefault: true }]);
    await setProfile('y', { hub: 'https://b.example' });
    expect(readFileSync(join(dir, CONFIG_FILE), 'utf8')).not.toContain('typed-in');
  });

  it('writes atomically: no temp file is left, and the file is private', async () => {
    await setProfile('default', { hub: 'https://hub.example.gov.cn' });
    await setProfile('default', { hub: 'https://hub2.example.gov.cn' });
    expect(readdirSync(dir)).toEqual([CONFIG_FILE]);
    expect(statSync(join(dir, CONFIG_FILE)).mode & 0o777).toBe(0o600);
  });

  it('refuses bad names, bad hub URLs and a damaged file, saying how to fix them', async () => {
    for (const name of ['', 'a@b', '__proto__', '-x', 'a'.repeat(65)])
      await expect(setProfile(name, { hub: 'https://a.example' })).rejects.toMatchObject({
        code: 'PROFILE-NAME',
      });
    for (const hub of [
      'hub.example',
      'ftp://a.example',
      'https://user:s3cr3t@a.example',
      'https://a.example/?q=1',
    ])
      await expect(setProfile('p', { hub })).rejects.toMatchObject({ code: 'HUB-URL' });
    await expect(setProfile('p', { hub: 'https://user:s3cr3t@a.example' })).rejects.not.toThrow(/s3cr3t/);
    writeFileSync(join(dir, CONFIG_FILE), '{"profiles": {"p": {"hub": 1}}}');
    await expect(listProfiles()).rejects.toMatchObject({
      code: 'CONFIG-INVALID',
      message: expect.stringContaining('profiles.p.hub') as unknown,
    });
    writeFileSync(join(dir, CONFIG_FILE), 'not json');
    await expect(listProfiles()).rejects.toMatchObject({
      code: 'CONFIG-INVALID',
      location: join(dir, CONFIG_FILE),
    });
  });
});

describe('normalizeHub', () => {
  it('gives one spelling per hub', () => {
    expect(normalizeHub(' https://Hub.Example.gov.cn:443/api/ ', 'en')).toBe(
      'https://hub.example.gov.cn/api',
    );
    expect(normalizeHub('http://127.0.0.1:8750', 'en')).toBe('http://127.0.0.1:8750');
  });
});
