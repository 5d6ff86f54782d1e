import { loadPackageJson } from '../internal/data.js';
import { DETECTOR_NAMES, type DetectorName } from './detectors.js';
import { normalizeGrade, type GradeLevel } from './levels.js';

/** A text in both languages; detector reasons may use {hits}, {sampled} and {hitRate}. */
export interface GradingText {
  zh: string;
  en: string;
}

/**
 * An item rule: it applies when any listed name keyword (a substring of the item name),
 * technical name (equal, ignoring case), value check or code table matches; `dataTypes` and
 * `sensitive`, when given, must hold as well; an `unless` name keyword vetoes it.
 */
export interface ItemRule {
  id: string;
  grade: GradeLevel;
  reason: GradingText;
  match?: { names?: string[]; technicalNames?: string[]; checks?: string[]; codeTables?: string[] };
  unless?: { names?: string[] };
  dataTypes?: string[];
  sensitive?: boolean;
}

/** A resource rule: a name keyword or code prefix matches, and (if given) some item is at least `minItemGrade`. */
export interface ResourceRule {
  id: string;
  grade: GradeLevel;
  reason: GradingText;
  match: { names?: string[]; codePrefixes?: string[] };
  minItemGrade?: GradeLevel;
}

/** A detector rule: the item takes `grade` when at least `threshold` of its sampled values are recognised. */
export interface DetectorRule {
  id: string;
  detector: DetectorName;
  grade: GradeLevel;
  /** Share of non-empty sampled values, 0 < threshold ≤ 1. */
  threshold: number;
  reason: GradingText;
}

/** A complete rule set: what the engine interprets. */
export interface GradingRuleSet {
  name: string;
  version: string;
  title: string;
  description?: string;
  sources?: { title: string; note?: string }[];
  /** The level of an item no rule matches. */
  defaultGrade: GradeLevel;
  /** Detectors judge an item only from this many non-empty sampled values on. */
  minSample: number;
  itemRules: ItemRule[];
  resourceRules: ResourceRule[];
  detectorRules: DetectorRule[];
}

/** A rule set that cannot be used, with every reason. */
export class GradingRulesError extends Error {
  override name = 'GradingRulesError';
  constructor(readonly problems: string[]) {
    super(`Invalid grading rules: ${problems.join('; ')}`);
  }
}

function levelProblems(where: string, level: unknown): string[] {
  return normalizeGrade(level) === level
    ? []
    : [`${where}: "${String(level)}" is not a canonical GB/T 43697 level`];
}

function ruleProblems(rules: GradingRuleSet): string[] {
  const problems = levelProblems('defaultGrade', rules.defaultGrade);
  const ids = new Set<string>();
  const all = [...rules.itemRules, ...rules.resourceRules, ...rules.detectorRules];
  for (const rule of all) {
    if (ids.has(rule.id)) problems.push(`${rule.id}: duplicate rule id`);
    ids.add(rule.id);
    problems.push(...levelProblems(rule.id, rule.grade));
    if (!rule.reason?.zh || !rule.reason?.en) problems.push(`${rule.id}: reason needs zh and en`);
  }
  for (const rule of rules.detectorRules) {
    if (!(DETECTOR_NAMES as readonly string[]).includes(rule.detector))
      problems.push(`${rule.id}: unknown detector "${rule.detector}" (known: ${DETECTOR_NAMES.join(', ')})`);
    if (!(rule.threshold > 0 && rule.threshold <= 1))
      problems.push(`${rule.id}: threshold must be in (0, 1]`);
  }
  for (const rule of rules.resourceRules) {
    if (rule.minItemGrade !== undefined) problems.push(...levelProblems(rule.id, rule.minItemGrade));
  }
  if (!Number.isInteger(rules.minSample) || rules.minSample < 1)
    problems.push('minSample must be an integer ≥ 1');
  return problems;
}

/** Checks a rule set (levels canonical, ids unique, detectors known, thresholds in range); throws GradingRulesError. */
export function checkGradingRules(value: unknown): GradingRuleSet {
  const rules = value as GradingRuleSet;
  const shaped =
    rules !== null &&
    typeof rules === 'object' &&
    [rules.itemRules, rules.resourceRules, rules.detectorRules].every(Array.isArray);
  if (!shaped) throw new GradingRulesError(['itemRules, resourceRules and detectorRules must be arrays']);
  const problems = ruleProblems(rules);
  if (problems.length > 0) throw new GradingRulesError(problems);
  return rules;
}

/** The rule set shipped with the package (policies/grading-rules.json). */
export function defaultGradingRules(): GradingRuleSet {
  return checkGradingRules(loadPackageJson<GradingRuleSet>('policies/grading-rules.json'));
}
