import { readFileSync } from 'node:fs';
import {
  checkGradingRules,
  defaultGradingRules,
  parseGradingPolicy,
  zhejiangGradingPolicy,
  type GradingPolicy,
  type GradingRuleSet,
} from '@minjiang/standards';
import { HubConfigError, type HubConfig } from '../../config.js';

/** The policy and rule set a hub grades with, read once at start. */
export interface GradingSetup {
  policy: GradingPolicy;
  rules: GradingRuleSet;
}

function readJson(setting: string, path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new HubConfigError(`Cannot read ${setting} ${path}: ${(error as Error).message}`);
  }
}

/**
 * Reads the configured policy and rules, or the shipped ones. A file that fails its checks stops
 * the hub at start with every problem named, rather than grading by a broken policy later.
 */
export function loadGradingSetup(config: HubConfig): GradingSetup {
  try {
    const policy = config.gradingPolicy
      ? parseGradingPolicy(readJson('gradingPolicy', config.gradingPolicy), 'en')
      : zhejiangGradingPolicy();
    const rules = config.gradingRules
      ? checkGradingRules(readJson('gradingRules', config.gradingRules))
      : defaultGradingRules();
    return { policy, rules };
  } catch (error) {
    if (error instanceof HubConfigError) throw error;
    throw new HubConfigError(`Grading configuration: ${(error as Error).message}`);
  }
}
