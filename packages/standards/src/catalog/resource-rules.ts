import { checkUscc } from '../checks/uscc.js';
import { findCode } from '../codes/code-table.js';
import type { CatalogResource } from '../generated/types.js';
import { parseResourceCode } from '../resource-code.js';
import { one, blank, type Rule } from '../rules/rule.js';

const GRADES_NEVER_OPEN = new Set(['核心数据', '重要数据']);
const RESOURCE_CLASS_BY_CATEGORY: Record<string, string> = {
  '1': '基础信息资源',
  '2': '主题信息资源',
  '3': '部门信息资源',
};

/** "SQL Server", "sql-server" and "sqlserver" name the same format type. */
export function formatTypeKey(type: string): string {
  return type.toLowerCase().replace(/[\s._-]+/g, '');
}

type StatisticKey = keyof NonNullable<CatalogResource['statistics']>;

function methodTypesOf(sharing: CatalogResource['sharing']): string[] {
  return sharing.methodTypes ?? [];
}

/** Resource-level rules (CAT-0xx) that JSON Schema cannot express. */
export const resourceRules: Rule<CatalogResource>[] = [
  {
    code: 'CAT-001',
    description: '有条件共享 and 不予共享 need a condition or a legal basis.',
    check: ({ sharing }) =>
      one(
        sharing.type !== '无条件共享' &&
          blank(sharing.condition) &&
          blank(sharing.legalBasis) && {
            code: 'CAT-001',
            location: '/sharing/condition',
            params: { shareType: sharing.type },
          },
      ),
  },
  {
    code: 'CAT-002',
    description: '不予共享 implies 不予开放.',
    check: ({ sharing, opening }) =>
      one(
        sharing.type === '不予共享' &&
          opening.type !== '不予开放' && {
            code: 'CAT-002',
            location: '/opening/type',
            params: { openType: opening.type },
            expected: '不予开放',
            found: opening.type,
          },
      ),
  },
  {
    code: 'CAT-003',
    description: 'The format type belongs to the format category.',
    check: ({ format }) => {
      const allowed = (findCode('format-category', format.category)?.types as string[] | undefined) ?? [];
      if (format.type === undefined || allowed.length === 0) return [];
      if (allowed.includes(formatTypeKey(format.type))) return [];
      return [
        {
          code: 'CAT-003',
          location: '/format/type',
          params: { formatType: format.type, category: format.category, expected: allowed.join('、') },
          expected: allowed.join('、'),
          found: format.type,
        },
      ];
    },
  },
  {
    code: 'CAT-004',
    description: 'Share method types fit the format category.',
    check: ({ format, sharing }) => {
      const allowed =
        (findCode('format-category', format.category)?.shareMethodTypes as string[] | undefined) ?? [];
      return methodTypesOf(sharing).flatMap((methodType, index) =>
        allowed.includes(methodType)
          ? []
          : [
              {
                code: 'CAT-004',
                location: `/sharing/methodTypes/${index}`,
                params: { methodType, category: format.category, expected: allowed.join('、') },
                expected: allowed.join('、'),
                found: methodType,
              },
            ],
      );
    },
  },
  {
    code: 'CAT-009',
    description: 'A resource updated in real time is shared through an API.',
    check: ({ updateCycle, sharing }) =>
      one(
        updateCycle === '实时' &&
          !methodTypesOf(sharing).includes('接口') && { code: 'CAT-009', location: '/sharing/methodTypes' },
      ),
  },
  {
    code: 'CAT-010',
    description: 'Core and important data are never open unconditionally (GB/T 43697-2024).',
    check: ({ grading, opening }) =>
      one(
        GRADES_NEVER_OPEN.has(grading.level) &&
          opening.type === '无条件开放' && {
            code: 'CAT-010',
            location: '/opening/type',
            params: { level: grading.level },
            found: opening.type,
          },
      ),
  },
  {
    code: 'CAT-011',
    description: 'The category digit of the resource code matches the resource class.',
    check: ({ code, resourceClass }) => {
      const category = code.charAt(0);
      const expected = RESOURCE_CLASS_BY_CATEGORY[category];
      return one(
        expected !== undefined &&
          expected !== resourceClass && {
            code: 'CAT-011',
            location: '/resourceClass',
            params: { category, resourceClass },
            expected,
            found: resourceClass,
          },
      );
    },
  },
  {
    code: 'CAT-012',
    description: 'The resource code follows the province profile of the coding rule.',
    check: ({ code }, { profile }) => {
      const parsed = parseResourceCode(code, profile);
      return parsed.ok
        ? []
        : [
            {
              code: 'CAT-012',
              location: '/code',
              params: { found: code, profile: profile.id, expected: parsed.expected },
              expected: parsed.expected,
              found: code,
            },
          ];
    },
  },
  {
    code: 'CAT-013',
    description: "The provider's USCC passes the GB 32100 checks.",
    check: ({ provider }) => {
      const result = checkUscc(provider.uscc);
      return result.ok
        ? []
        : [
            {
              code: 'CAT-013',
              location: '/provider/uscc',
              params: { reason: result.message, reasonEn: checkUscc(provider.uscc, { lang: 'en' }).message },
              found: provider.uscc,
            },
          ];
    },
  },
  {
    code: 'CAT-017',
    description: '有条件开放 needs an opening condition.',
    check: ({ opening }) =>
      one(
        opening.type === '有条件开放' &&
          blank(opening.condition) && { code: 'CAT-017', location: '/opening/condition' },
      ),
  },
  {
    code: 'CAT-018',
    description: 'The publication date is not in the future.',
    check: ({ publishedAt }, { today }) =>
      one(
        publishedAt > today && {
          code: 'CAT-018',
          location: '/publishedAt',
          params: { found: publishedAt },
          found: publishedAt,
        },
      ),
  },
  {
    code: 'CAT-020',
    description: 'Classified (涉密) data is neither shared nor opened.',
    check: ({ grading, sharing, opening }) =>
      one(
        grading.classified === true &&
          (sharing.type !== '不予共享' || opening.type !== '不予开放') && {
            code: 'CAT-020',
            location: '/grading/classified',
          },
      ),
  },
  {
    code: 'CAT-021',
    description: 'A resource does not list itself as related.',
    check: ({ code, relatedResources }) =>
      (relatedResources ?? []).flatMap((related, index) =>
        related === code
          ? [{ code: 'CAT-021', location: `/relatedResources/${index}`, params: { found: related } }]
          : [],
      ),
  },
  {
    code: 'CAT-022',
    description: 'Shared and open survey figures do not exceed the totals.',
    check: ({ statistics: s }) => {
      if (!s) return [];
      const pairs: [StatisticKey, StatisticKey][] = [
        ['sharedRecords', 'records'],
        ['openRecords', 'records'],
        ['sharedStorageGB', 'storageGB'],
        ['openStorageGB', 'storageGB'],
      ];
      return pairs.flatMap(([part, total]) => {
        const a = s[part];
        const b = s[total];
        return a !== undefined && b !== undefined && a > b
          ? [
              {
                code: 'CAT-022',
                location: `/statistics/${part}`,
                params: { detail: `${part} ${a} > ${total} ${b}` },
              },
            ]
          : [];
      });
    },
  },
  {
    code: 'CAT-023',
    description: 'The resource is not named after its information system.',
    check: ({ name, system }) =>
      one(system !== undefined && name === system && { code: 'CAT-023', location: '/name' }),
  },
  {
    code: 'CAT-027',
    description: 'The time range starts before it ends.',
    check: ({ timeRange }) =>
      one(
        timeRange?.from !== undefined &&
          timeRange.to !== undefined &&
          timeRange.from > timeRange.to && {
            code: 'CAT-027',
            location: '/timeRange/from',
            params: { from: timeRange.from, to: timeRange.to },
          },
      ),
  },
];
