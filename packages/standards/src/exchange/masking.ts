import type { CodeEntry, CodeTable } from '../codes/code-table.js';
import { loadPackageJson } from '../internal/data.js';
import {
  compactMobile,
  keepEnds,
  MASKED_PATTERNS,
  maskAddress,
  maskEmail,
  pseudonym,
  type MaskRule,
} from './masking-rules.js';

/**
 * Named masking profiles (exchange.md §8.9) as data — codes/masking-profile.json and
 * codes/masking-field-type.json — and their application to rows. The hub computes a plan once per
 * grant (`maskingPlan`) and applies it to every row (`applyMasking`); both are pure and synchronous.
 */

export type MaskFieldType =
  'name' | 'idcard' | 'phone' | 'address' | 'bankcard' | 'email' | 'plate' | 'sensitive';

/** The rule names a profile may give; `phone` items use `mobile` or `fixedPhone` by value. */
export type ProfileRuleName = Exclude<MaskFieldType, 'phone'> | 'mobile' | 'fixedPhone';

export interface MaskingProfile {
  id: string;
  label: string;
  labelEn: string;
  rules: Partial<Record<ProfileRuleName, MaskRule>>;
}

/** What a plan needs of a catalog item. */
export interface MaskingItem {
  name: string;
  technicalName?: string | undefined;
  check?: string | undefined;
  sensitive?: boolean | undefined;
}

export interface MaskingPlanEntry {
  /** The row key: the technical name, else the name. */
  key: string;
  type: MaskFieldType | null;
  rule: MaskRule;
  /** The pattern every masked value matches, where the rule's output has a fixed shape. */
  pattern?: string;
}

export interface MaskingPlan {
  profile: string;
  entries: MaskingPlanEntry[];
  /** True when a rule makes pseudonyms: applyMasking then needs `recipientKey`. */
  needsRecipientKey: boolean;
}

export class MaskingError extends Error {
  override name = 'MaskingError';

  constructor(
    message: string,
    readonly code: 'MASK-UNKNOWN-PROFILE' | 'MASK-RECIPIENT-KEY',
  ) {
    super(message);
  }
}

type ProfileRow = CodeEntry & { rules: MaskingProfile['rules'] };
type FieldTypeRow = CodeEntry & { checks: string[]; nameKeywords: string[]; technicalNames: string[] };

/** A profile by id; throws MaskingError for an id the table does not have. */
export function maskingProfile(id: string): MaskingProfile {
  const rows = loadPackageJson<CodeTable>('codes/masking-profile.json').data as ProfileRow[];
  const row = rows.find((entry) => entry.code === id);
  if (row === undefined)
    throw new MaskingError(
      `Unknown masking profile "${id}"; known: ${rows.map((entry) => entry.code).join(', ')}`,
      'MASK-UNKNOWN-PROFILE',
    );
  return { id: row.code, label: row.label, labelEn: row.labelEn ?? row.code, rules: row.rules };
}

function technicalMatch(technicalName: string, token: string): boolean {
  // Two-letter pinyin initials (XM 姓名, DZ 地址) are too short to match anywhere in a name.
  return token.length <= 2 ? technicalName.endsWith(token) : technicalName.includes(token);
}

/** The field type of an item: by its check, then its names, then its sensitive flag. */
export function maskFieldType(item: MaskingItem): MaskFieldType | null {
  const types = loadPackageJson<CodeTable>('codes/masking-field-type.json').data as FieldTypeRow[];
  const byCheck = types.find((type) => item.check !== undefined && type.checks.includes(item.check));
  if (byCheck !== undefined) return byCheck.code as MaskFieldType;
  const technical = item.technicalName?.toUpperCase() ?? '';
  const byName = types.find(
    (type) =>
      type.nameKeywords.some((keyword) => item.name.includes(keyword)) ||
      (technical !== '' && type.technicalNames.some((token) => technicalMatch(technical, token))),
  );
  if (byName !== undefined) return byName.code as MaskFieldType;
  return item.sensitive === true ? 'sensitive' : null;
}

const NONE: MaskRule = { kind: 'none' };

function ruleFor(profile: MaskingProfile, type: MaskFieldType | null): MaskRule {
  if (type === null) return NONE;
  if (type !== 'phone') return profile.rules[type] ?? NONE;
  const mobile = profile.rules.mobile ?? NONE;
  const fixed = profile.rules.fixedPhone ?? NONE;
  return mobile.kind === 'none' && fixed.kind === 'none' ? NONE : { kind: 'phone', mobile, fixed };
}

function patternFor(type: MaskFieldType | null, rule: MaskRule): string | undefined {
  if (rule.kind === 'pseudonym') return MASKED_PATTERNS.pseudonym;
  if (rule.kind === 'email') return MASKED_PATTERNS.email;
  if (rule.kind !== 'keep') return undefined;
  const shape = `${type}:${rule.front}+${rule.end}`;
  if (shape === 'idcard:6+4') return MASKED_PATTERNS.idcard;
  if (shape === 'bankcard:4+4') return MASKED_PATTERNS.bankcard;
  return undefined;
}

/** The rule of every item under a profile: compute once per grant and reuse for every row. */
export function maskingPlan(profileId: string, items: readonly MaskingItem[]): MaskingPlan {
  const profile = maskingProfile(profileId);
  const entries = items.map((item): MaskingPlanEntry => {
    const type = maskFieldType(item);
    const rule = ruleFor(profile, type);
    const pattern = patternFor(type, rule);
    const entry: MaskingPlanEntry = { key: item.technicalName ?? item.name, type, rule };
    return pattern === undefined ? entry : { ...entry, pattern };
  });
  const pseudonymous = (rule: MaskRule): boolean =>
    rule.kind === 'pseudonym' ||
    (rule.kind === 'phone' && (pseudonymous(rule.mobile) || pseudonymous(rule.fixed)));
  return {
    profile: profile.id,
    entries,
    needsRecipientKey: entries.some((entry) => pseudonymous(entry.rule)),
  };
}

/**
 * One spelling per value before masking: pseudonyms then link the same subject within a grant, and
 * masked ID and card numbers match their patterns (upper-case X; no spaces or hyphens).
 */
function canonicalValue(type: MaskFieldType | null, value: string): string {
  if (type === 'idcard') return value.trim().toUpperCase();
  if (type === 'bankcard') return value.replace(/[\s-]/g, '');
  return value;
}

function maskValue(rule: MaskRule, value: string, recipientKey: string | undefined): string | null {
  switch (rule.kind) {
    case 'none':
      return value;
    case 'keep':
      return keepEnds(value, rule.front, rule.end);
    case 'address':
      return maskAddress(value, rule.upTo, rule.fallbackFront) ?? null;
    case 'email':
      return maskEmail(value);
    case 'pseudonym':
      return pseudonym(value, recipientKey ?? '');
    case 'drop':
      return null;
    case 'phone': {
      const mobile = compactMobile(value);
      return mobile === undefined
        ? maskValue(rule.fixed, value.trim(), recipientKey)
        : maskValue(rule.mobile, mobile, recipientKey);
    }
  }
}

/**
 * Masks one row by the plan. Keys the plan does not name are copied unchanged (the hub projects
 * rows to the granted items first); null, empty and non-string values are never touched; a dropped
 * value becomes null, so every granted key stays in the row.
 */
export function applyMasking<V>(
  plan: MaskingPlan,
  row: Readonly<Record<string, V>>,
  options: { recipientKey?: string } = {},
): Record<string, V | string | null> {
  if (plan.needsRecipientKey && !options.recipientKey)
    throw new MaskingError(
      `Profile ${plan.profile} makes pseudonyms: pass the recipient's key`,
      'MASK-RECIPIENT-KEY',
    );
  const masked: Record<string, V | string | null> = { ...row };
  for (const { key, type, rule } of plan.entries) {
    const value = row[key];
    if (rule.kind === 'none' || typeof value !== 'string' || value === '') continue;
    masked[key] = maskValue(rule, canonicalValue(type, value), options.recipientKey);
  }
  return masked;
}
