import { isRegionCode } from '../checks/region.js';
import { checkUscc } from '../checks/uscc.js';
import type { Organisation } from '../generated/types.js';
import { one, type Rule } from './rule.js';

/** Whether a region lies in the area of a platform: a province (XX0000), a prefecture (XXXX00) or a single code (平潭 350128). */
export function inPlatformArea(region: string, platform: string): boolean {
  if (platform.endsWith('0000')) return region.startsWith(platform.slice(0, 2));
  if (platform.endsWith('00')) return region.startsWith(platform.slice(0, 4));
  return region === platform;
}

const PLATFORM_KINDS = new Set(['province', 'city']);

/** Rules of an organisation record (ORG-0xx). */
export const organisationRules: Rule<Organisation>[] = [
  {
    code: 'ORG-001',
    description: 'The USCC passes the GB 32100 checks.',
    check: ({ uscc }) => {
      const result = checkUscc(uscc);
      return result.ok
        ? []
        : [
            {
              code: 'ORG-001',
              location: '/uscc',
              params: { reason: result.message, reasonEn: checkUscc(uscc, { lang: 'en' }).message },
              found: uscc,
            },
          ];
    },
  },
  {
    code: 'ORG-002',
    description: 'regionCode and platformCode are known GB/T 2260 codes.',
    check: ({ regionCode, platformCode }) =>
      (
        [
          ['regionCode', regionCode],
          ['platformCode', platformCode],
        ] as const
      ).flatMap(([field, code]) =>
        isRegionCode(code)
          ? []
          : [{ code: 'ORG-002', location: `/${field}`, params: { field, found: code }, found: code }],
      ),
  },
  {
    code: 'ORG-003',
    description: 'The id is {platformCode}/{memberClass}/{uscc}.',
    check: ({ id, platformCode, memberClass, uscc }) => {
      const expected = `${platformCode}/${memberClass}/${uscc}`;
      return one(
        id !== expected && {
          code: 'ORG-003',
          location: '/id',
          params: { found: id, expected },
          expected,
          found: id,
        },
      );
    },
  },
  {
    code: 'ORG-004',
    description: 'The provincial platform has no parent.',
    check: ({ kind, parent }) =>
      one(kind === 'province' && parent !== undefined && { code: 'ORG-004', location: '/parent' }),
  },
  {
    code: 'ORG-005',
    description: 'Every organisation but the provincial platform names its parent.',
    check: ({ kind, parent }) =>
      one(
        kind !== 'province' &&
          parent === undefined && { code: 'ORG-005', location: '/parent', params: { kind } },
      ),
  },
  {
    code: 'ORG-006',
    description: 'An organisation is not its own parent.',
    check: ({ id, parent }) => one(parent === id && { code: 'ORG-006', location: '/parent', found: parent }),
  },
  {
    code: 'ORG-007',
    description:
      "The region lies in the platform's area; a platform organisation's region is its platform code.",
    check: ({ kind, regionCode, platformCode }) => {
      const ok = PLATFORM_KINDS.has(kind)
        ? regionCode === platformCode
        : inPlatformArea(regionCode, platformCode);
      return one(
        !ok && {
          code: 'ORG-007',
          location: '/regionCode',
          params: { found: regionCode, platform: platformCode },
          found: regionCode,
        },
      );
    },
  },
  {
    code: 'ORG-008',
    description: 'A GOV member usually has a USCC of category 11 (warning).',
    check: ({ memberClass, uscc }) =>
      one(
        memberClass === 'GOV' &&
          !uscc.startsWith('11') && {
            code: 'ORG-008',
            location: '/memberClass',
            params: { found: uscc },
            found: uscc,
          },
      ),
  },
];
