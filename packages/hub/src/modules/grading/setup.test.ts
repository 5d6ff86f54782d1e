import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zhejiangGradingPolicy } from '@minjiang/standards';
import { afterAll, describe, expect, it } from 'vitest';
import { HubConfigError, loadConfig } from '../../config.js';
import { loadGradingSetup } from './setup.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-grading-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('grading configuration', () => {
  it('defaults to the shipped Zhejiang-style policy, the shipped rules and 200 sampled rows', () => {
    const config = loadConfig({ dataDir: dir }, {});
    expect(config.gradingSample).toBe(200);
    const setup = loadGradingSetup(config);
    expect(setup.policy.name).toBe('zhejiang-4-level');
    expect(setup.rules.name).toBe('minjiang-default');
  });

  it('reads a province policy and a sample size from the environment', () => {
    const strict = { ...zhejiangGradingPolicy(), name: 'fujian-example' };
    const env = { MINJIANG_GRADING_POLICY: file('policy.json', strict), MINJIANG_GRADING_SAMPLE: '50' };
    const config = loadConfig({ dataDir: dir }, env);
    expect(config.gradingSample).toBe(50);
    expect(loadGradingSetup(config).policy.name).toBe('fujian-example');
  });

  it('refuses to start with a policy that breaks its rules, an unreadable file or broken rules', () => {
    const laxer = structuredClone(zhejiangGradingPolicy());
    laxer.levels[2] = {
      ...laxer.levels[2],
      openTypes: ['无条件开放', '不予开放'],
    } as (typeof laxer.levels)[2];
    const bad = loadConfig({ dataDir: dir, gradingPolicy: file('laxer.json', laxer) }, {});
    expect(() => loadGradingSetup(bad)).toThrow(HubConfigError);
    expect(() => loadGradingSetup(bad)).toThrow(/GRP-003 \/levels\/2\/openTypes/);
    const missing = loadConfig({ dataDir: dir, gradingPolicy: join(dir, 'none.json') }, {});
    expect(() => loadGradingSetup(missing)).toThrow(/Cannot read gradingPolicy/);
    const rules = loadConfig({ dataDir: dir, gradingRules: file('rules.json', { itemRules: [] }) }, {});
    expect(() => loadGradingSetup(rules)).toThrow(/Grading configuration: Invalid grading rules/);
    expect(() => loadConfig({ dataDir: dir }, { MINJIANG_GRADING_SAMPLE: '-1' })).toThrow(/gradingSample/);
  });
});
