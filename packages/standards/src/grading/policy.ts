import type { CatalogResource, GradingPolicy } from '../generated/types.js';
import { hasErrors, type Issue, type Lang } from '../issues.js';
import { loadPackageJson } from '../internal/data.js';
import { renderFinding, type Finding } from '../messages/message.js';
import { normalizeDocument } from '../normalize.js';
import { validateGradingPolicy } from '../validate.js';
import { gradeLabel, gradeRank, type GradeLevel } from './levels.js';
import { gradingMessages } from './messages.js';

/** A policy that cannot be used, with its issues. */
export class GradingPolicyError extends Error {
  override name = 'GradingPolicyError';
  constructor(readonly issues: Issue[]) {
    super(
      `Invalid grading policy: ${issues.map((issue) => `${issue.code} ${issue.location} ${issue.message}`).join('; ')}`,
    );
  }
}

/** A valid policy in canonical form (codes such as `2` become labels); throws GradingPolicyError. */
export function parseGradingPolicy(document: unknown, lang: Lang = 'zh-CN'): GradingPolicy {
  const issues = validateGradingPolicy(document, { lang });
  if (hasErrors(issues)) throw new GradingPolicyError(issues);
  return normalizeDocument<GradingPolicy>('grading-policy', document);
}

/** The example province policy shipped with the package (policies/zhejiang-4-level.json). */
export function zhejiangGradingPolicy(): GradingPolicy {
  return parseGradingPolicy(loadPackageJson<unknown>('policies/zhejiang-4-level.json'));
}

/** The levels a conflict check reads: the resource's and, where known, each item's. */
export interface GradingView {
  /** The resource's level; the document's `grading.level` when absent. */
  grade?: GradeLevel;
  /** Item levels by item name (from a proposal); items not listed are not checked on their own. */
  items?: Readonly<Record<string, GradeLevel>>;
}

/** One conflict between a resource's share or open types and its grades under a policy. */
export interface GradingConflict extends Issue {
  resource: string;
  item?: string;
  grade: GradeLevel;
}

type Kind = 'share' | 'open';

function allowed(policy: GradingPolicy, level: GradeLevel, kind: Kind): string[] | undefined {
  const entry = policy.levels.find((candidate) => candidate.level === level);
  return entry ? (kind === 'share' ? entry.shareTypes : entry.openTypes) : undefined;
}

function gradeParams(grade: GradeLevel) {
  return { grade, gradeEn: gradeLabel(grade, 'en') };
}

/** A finding when `found` is outside what the policy allows at `grade`. */
function typeFinding(
  policy: GradingPolicy,
  grade: GradeLevel,
  kind: Kind,
  found: string,
  where: { code: string; location: string; extra?: Record<string, string> },
): Finding[] {
  const types = allowed(policy, grade, kind);
  if (!types || types.includes(found)) return [];
  const expected = types.join('、');
  const params = { ...gradeParams(grade), found, expected, policy: policy.name, ...where.extra };
  return [{ code: where.code, location: where.location, params, expected, found }];
}

function itemFindings(
  resource: CatalogResource,
  view: GradingView,
  policy: GradingPolicy,
): { finding: Finding; item: string; grade: string }[] {
  const out: { finding: Finding; item: string; grade: string }[] = [];
  (resource.items ?? []).forEach((item, index) => {
    const grade = view.items?.[item.name];
    if (grade === undefined) return;
    const sides: [Kind, string, string | undefined, string][] = [
      ['share', 'GRD-103', item.shareType, resource.sharing.type],
      ['open', 'GRD-104', item.openType, resource.opening.type],
    ];
    for (const [kind, code, own, inherited] of sides) {
      const extra =
        own === undefined
          ? { inherited: '（沿用资源设置）', inheritedEn: ' (inherited from the resource)' }
          : { inherited: '', inheritedEn: '' };
      const location = `/items/${index}/${kind === 'share' ? 'shareType' : 'openType'}`;
      for (const finding of typeFinding(policy, grade, kind, own ?? inherited, {
        code,
        location,
        extra: { item: item.name, ...extra },
      }))
        out.push({ finding, item: item.name, grade });
    }
  });
  return out;
}

function underGraded(
  resource: CatalogResource,
  grade: GradeLevel,
  view: GradingView,
): { finding: Finding; item: string; grade: string }[] {
  const top = Object.entries(view.items ?? {}).sort((a, b) => gradeRank(b[1]) - gradeRank(a[1]))[0];
  if (!top || gradeRank(top[1]) <= gradeRank(grade)) return [];
  const [item, itemGrade] = top;
  const params = { declared: grade, declaredEn: gradeLabel(grade, 'en'), item, ...gradeParams(itemGrade) };
  return [
    {
      finding: { code: 'GRD-105', location: '/grading/level', params, expected: itemGrade, found: grade },
      item,
      grade: itemGrade,
    },
  ];
}

/**
 * The conflicts of one resource with a policy: its own share and open types against its level
 * (GRD-101/102), each graded item's effective types (its own, else the resource's) against the
 * item's level (GRD-103/104), and a resource graded below one of its items (GRD-105).
 */
export function checkGradingConflicts(
  resource: CatalogResource,
  policy: GradingPolicy,
  view: GradingView = {},
  lang: Lang = 'zh-CN',
): GradingConflict[] {
  const grade = view.grade ?? resource.grading.level;
  const render = (finding: Finding, extra: { item?: string; grade: string }): GradingConflict => ({
    ...renderFinding(gradingMessages, finding, lang),
    resource: resource.code,
    ...extra,
  });
  const own = [
    ...typeFinding(policy, grade, 'share', resource.sharing.type, {
      code: 'GRD-101',
      location: '/sharing/type',
    }),
    ...typeFinding(policy, grade, 'open', resource.opening.type, {
      code: 'GRD-102',
      location: '/opening/type',
    }),
  ].map((finding) => render(finding, { grade }));
  const items = [...underGraded(resource, grade, view), ...itemFindings(resource, view, policy)].map(
    ({ finding, item, grade: level }) => render(finding, { item, grade: level }),
  );
  return [...own, ...items];
}
