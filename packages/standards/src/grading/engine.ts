import type { CatalogResource } from '../generated/types.js';
import type { Lang } from '../issues.js';
import { detectSample, type DetectorName } from './detectors.js';
import { gradeLabel, gradeRank, highestGrade, type GradeLevel } from './levels.js';
import {
  defaultGradingRules,
  type GradingRuleSet,
  type GradingText,
  type ItemRule,
  type ResourceRule,
} from './rules.js';

type Item = NonNullable<CatalogResource['items']>[number];

/** Why a level was proposed: which rule or detector, and for detectors the hit rate. */
export interface GradeReason {
  kind: 'item-rule' | 'detector' | 'resource-rule' | 'item' | 'default';
  /** The rule id (`DEFAULT` for the default level). */
  rule: string;
  grade: GradeLevel;
  message: string;
  /** For a resource reason that comes from one of its items. */
  item?: string;
  detector?: DetectorName;
  hits?: number;
  sampled?: number;
  hitRate?: number;
}

/** The proposed level of one information item, with every rule and detector that matched. */
export interface ItemGrade {
  name: string;
  grade: GradeLevel;
  /** Non-empty sampled values the detectors looked at. */
  sampled: number;
  reasons: GradeReason[];
}

/** The proposed level of a resource: the highest of its items and resource rules (就高从严). */
export interface GradeProposal {
  code: string;
  name: string;
  /** The level the resource declares now. */
  declared?: GradeLevel;
  grade: GradeLevel;
  /** The proposal against the declared level. */
  change: 'raise' | 'lower' | 'same';
  /** The decisive reasons: resource rules, and the items at the resource's level. */
  reasons: GradeReason[];
  items: ItemGrade[];
  rules: { name: string; version: string };
}

export interface ProposeOptions {
  /** Recent submitted values per item name; detectors run over them. */
  samples?: Readonly<Record<string, readonly unknown[]>>;
  rules?: GradingRuleSet;
  lang?: Lang;
}

function text(reason: GradingText, lang: Lang, params: Record<string, string | number> = {}): string {
  const template = lang === 'en' ? reason.en : reason.zh;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(params[key] ?? whole));
}

const has = (list: readonly string[] | undefined, test: (entry: string) => boolean) =>
  list !== undefined && list.some(test);

/** Whether an item rule applies to an item (see ItemRule for the semantics). */
export function itemRuleMatches(rule: ItemRule, item: Item): boolean {
  if (has(rule.unless?.names, (keyword) => item.name.includes(keyword))) return false;
  if (rule.dataTypes && !rule.dataTypes.includes(item.dataType)) return false;
  if (rule.sensitive !== undefined && (item.sensitive === true) !== rule.sensitive) return false;
  const match = rule.match;
  if (!match) return true;
  const technical = item.technicalName?.toUpperCase();
  return (
    has(match.names, (keyword) => item.name.includes(keyword)) ||
    has(match.technicalNames, (name) => technical === name.toUpperCase()) ||
    has(match.checks, (check) => item.check === check) ||
    has(match.codeTables, (table) => item.codeTable === table)
  );
}

function detectorReasons(values: readonly unknown[], rules: GradingRuleSet, lang: Lang): GradeReason[] {
  const detectors = rules.detectorRules.map((rule) => rule.detector);
  const hits = detectSample(values, detectors);
  return rules.detectorRules.flatMap((rule, index) => {
    const hit = hits[index];
    if (!hit || hit.sampled < rules.minSample || hit.hitRate < rule.threshold) return [];
    const { hits: found, sampled, hitRate } = hit;
    const message = text(rule.reason, lang, { hits: found, sampled, hitRate });
    return [
      {
        kind: 'detector',
        rule: rule.id,
        grade: rule.grade,
        message,
        detector: rule.detector,
        hits: found,
        sampled,
        hitRate,
      },
    ];
  });
}

/** Grades one item from its catalog description and a sample of its values. */
export function gradeItem(
  item: Item,
  values: readonly unknown[] = [],
  rules: GradingRuleSet = defaultGradingRules(),
  lang: Lang = 'zh-CN',
): ItemGrade {
  const reasons: GradeReason[] = rules.itemRules
    .filter((rule) => itemRuleMatches(rule, item))
    .map((rule) => ({
      kind: 'item-rule',
      rule: rule.id,
      grade: rule.grade,
      message: text(rule.reason, lang),
    }));
  reasons.push(...detectorReasons(values, rules, lang));
  const sampled = values.filter((value) => value !== null && value !== undefined && value !== '').length;
  if (reasons.length === 0) {
    const message = lang === 'en' ? 'No rule matched: the default level' : '未命中任何规则，取默认级别';
    reasons.push({ kind: 'default', rule: 'DEFAULT', grade: rules.defaultGrade, message });
  }
  reasons.sort((a, b) => gradeRank(b.grade) - gradeRank(a.grade));
  const grade = highestGrade(
    reasons.map((reason) => reason.grade),
    rules.defaultGrade,
  );
  return { name: item.name, grade, sampled, reasons };
}

function resourceRuleMatches(rule: ResourceRule, resource: CatalogResource, items: ItemGrade[]): boolean {
  const named =
    has(rule.match.names, (keyword) => resource.name.includes(keyword)) ||
    has(rule.match.codePrefixes, (prefix) => resource.code.startsWith(prefix));
  if (!named) return false;
  if (rule.minItemGrade === undefined) return true;
  const floor = gradeRank(rule.minItemGrade);
  return items.some((item) => gradeRank(item.grade) >= floor);
}

function itemReason(item: ItemGrade, lang: Lang): GradeReason {
  const top = item.reasons[0] as GradeReason;
  const level = gradeLabel(item.grade, lang);
  const message =
    lang === 'en'
      ? `Item "${item.name}" is ${level}: ${top.message}`
      : `信息项“${item.name}”为${level}：${top.message}`;
  return { kind: 'item', rule: top.rule, grade: item.grade, message, item: item.name };
}

function changeOf(declared: GradeLevel | undefined, grade: GradeLevel): GradeProposal['change'] {
  if (declared === undefined) return 'raise';
  const delta = gradeRank(grade) - gradeRank(declared);
  return delta > 0 ? 'raise' : delta < 0 ? 'lower' : 'same';
}

/**
 * Proposes a level for a resource and each of its items. Pure: the same resource, samples and
 * rules always give the same proposal. The resource takes the highest level found (就高从严).
 */
export function proposeGrade(resource: CatalogResource, options: ProposeOptions = {}): GradeProposal {
  const rules = options.rules ?? defaultGradingRules();
  const lang = options.lang ?? 'zh-CN';
  const items = (resource.items ?? []).map((item) =>
    gradeItem(item, options.samples?.[item.name] ?? [], rules, lang),
  );
  const resourceReasons: GradeReason[] = rules.resourceRules
    .filter((rule) => resourceRuleMatches(rule, resource, items))
    .map((rule) => ({
      kind: 'resource-rule',
      rule: rule.id,
      grade: rule.grade,
      message: text(rule.reason, lang),
    }));
  const grade = highestGrade(
    [...items.map((item) => item.grade), ...resourceReasons.map((reason) => reason.grade)],
    rules.defaultGrade,
  );
  const decisive = items
    .filter((item) => item.grade === grade && item.reasons[0]?.kind !== 'default')
    .map((item) => itemReason(item, lang));
  const reasons = [...resourceReasons.filter((reason) => reason.grade === grade), ...decisive];
  if (reasons.length === 0) {
    const message = lang === 'en' ? 'No rule matched: the default level' : '未命中任何规则，取默认级别';
    reasons.push({ kind: 'default', rule: 'DEFAULT', grade, message });
  }
  const declared = resource.grading?.level;
  return {
    code: resource.code,
    name: resource.name,
    ...(declared !== undefined ? { declared } : {}),
    grade,
    change: changeOf(declared, grade),
    reasons,
    items,
    rules: { name: rules.name, version: rules.version },
  };
}
