import type { GradingPolicy } from '../generated/types.js';
import type { Finding } from '../messages/message.js';
import type { Rule } from '../rules/rule.js';
import { gradeLevels, gradeRank } from './levels.js';

type Level = GradingPolicy['levels'][number];

function duplicates(policy: GradingPolicy): Finding[] {
  const seen = new Set<string>();
  return policy.levels.flatMap((entry, index) => {
    const repeated = seen.has(entry.level);
    seen.add(entry.level);
    return repeated
      ? [
          {
            code: 'GRP-001',
            location: `/levels/${index}/level`,
            params: { found: entry.level },
            found: entry.level,
          },
        ]
      : [];
  });
}

function missing(policy: GradingPolicy): Finding[] {
  const listed = new Set<string>(policy.levels.map((entry) => entry.level));
  const absent = gradeLevels().filter((level) => !listed.has(level));
  if (absent.length === 0) return [];
  return [
    { code: 'GRP-002', location: '/levels', params: { found: absent.join('、') }, found: absent.join(', ') },
  ];
}

/** Types a stricter level allows that some looser level does not: the first such, per level and kind. */
function laxer(policy: GradingPolicy): Finding[] {
  const findings: Finding[] = [];
  policy.levels.forEach((entry, index) => {
    const looser = policy.levels.filter((other: Level) => gradeRank(other.level) < gradeRank(entry.level));
    for (const kind of ['shareTypes', 'openTypes'] as const) {
      for (const other of looser) {
        const extra = entry[kind].find((type) => !(other[kind] as string[]).includes(type));
        if (extra === undefined) continue;
        const params = { level: entry.level, looser: other.level, found: extra };
        findings.push({ code: 'GRP-003', location: `/levels/${index}/${kind}`, params, found: extra });
        break;
      }
    }
  });
  return findings;
}

/** Rules of a grading policy (GRP-0xx). */
export const gradingPolicyRules: Rule<GradingPolicy>[] = [
  { code: 'GRP-001', description: 'Each level appears once.', check: duplicates },
  { code: 'GRP-002', description: 'Every GB/T 43697 level is listed.', check: missing },
  {
    code: 'GRP-003',
    description: 'A stricter level allows no share or open type that a looser level forbids.',
    check: laxer,
  },
];
