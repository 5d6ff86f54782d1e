import { codeTable, findCode } from '../codes/code-table.js';
import type { CatalogResource } from '../generated/types.js';
import type { Finding } from '../messages/message.js';
import type { Rule } from '../rules/rule.js';

type Item = NonNullable<CatalogResource['items']>[number];

const STRUCTURED = new Set(['数据库', '电子表格']);
const OPENNESS: Record<string, number> = { 无条件共享: 2, 有条件共享: 1, 不予共享: 0 };

/** Code tables that items commonly refer to; listed in the hint of CAT-025. */
const VALUE_TABLES = ['gb2260', 'gbt2261-1-gender', 'gbt3304-ethnicity', 'gat517-certificate-type'];

function hasCodeTable(name: string): boolean {
  try {
    return codeTable(name).data.length > 0;
  } catch {
    return false;
  }
}

/** Folds the differences that make two item names look different but read the same. */
export function itemNameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}]/gu, '')
    .toLowerCase();
}

function eachItem(
  resource: CatalogResource,
  check: (item: Item, index: number) => Finding | false,
): Finding[] {
  return (resource.items ?? []).flatMap((item, index) => {
    const finding = check(item, index);
    return finding ? [finding] : [];
  });
}

/** Item-level rules (CAT-0xx). */
export const itemRules: Rule<CatalogResource>[] = [
  {
    code: 'CAT-005',
    description: 'At most one timestamp item.',
    check: (resource) => {
      let seen = false;
      return eachItem(resource, (item, index) => {
        if (item.isTimestamp !== true) return false;
        if (!seen) {
          seen = true;
          return false;
        }
        return {
          code: 'CAT-005',
          location: `/items/${index}/isTimestamp`,
          params: { index: index + 1, name: item.name },
        };
      });
    },
  },
  {
    code: 'CAT-006',
    description: 'Key items are required.',
    check: (resource) =>
      eachItem(
        resource,
        (item, index) =>
          item.isKey === true &&
          item.required === false && {
            code: 'CAT-006',
            location: `/items/${index}/required`,
            params: { name: item.name },
          },
      ),
  },
  {
    code: 'CAT-007',
    description: 'A structured resource (数据库, 电子表格) declares a key item.',
    check: ({ format, items }) =>
      STRUCTURED.has(format.category) &&
      (items ?? []).length > 0 &&
      !(items ?? []).some((item) => item.isKey === true)
        ? [{ code: 'CAT-007', location: '/items', params: { category: format.category } }]
        : [],
  },
  {
    code: 'CAT-008',
    description: 'Item names are unique (ignoring spaces, width and punctuation).',
    check: (resource) => {
      const first = new Map<string, number>();
      return eachItem(resource, (item, index) => {
        const key = itemNameKey(item.name);
        const other = first.get(key);
        if (other === undefined) return first.set(key, index) && false;
        return {
          code: 'CAT-008',
          location: `/items/${index}/name`,
          params: { name: item.name, other: other + 1 },
        };
      });
    },
  },
  {
    code: 'CAT-014',
    description: "An item's share type agrees with the resource's.",
    check: (resource) =>
      eachItem(resource, (item, index) => {
        const resourceType = resource.sharing.type;
        if (item.shareType === undefined || resourceType === '有条件共享') return false;
        const contradicts = OPENNESS[item.shareType] !== OPENNESS[resourceType];
        return (
          contradicts && {
            code: 'CAT-014',
            location: `/items/${index}/shareType`,
            params: { name: item.name, itemShareType: item.shareType, shareType: resourceType },
          }
        );
      }),
  },
  {
    code: 'CAT-015',
    description: 'An item shared conditionally or not at all states its condition or basis.',
    check: (resource) =>
      eachItem(
        resource,
        (item, index) =>
          (item.shareType === '有条件共享' || item.shareType === '不予共享') &&
          (item.shareCondition ?? '').trim() === '' && {
            code: 'CAT-015',
            location: `/items/${index}/shareCondition`,
            params: { name: item.name, itemShareType: item.shareType },
          },
      ),
  },
  {
    code: 'CAT-016',
    description: 'Items of types C, N, Y, B and F have a length.',
    check: (resource) =>
      eachItem(
        resource,
        (item, index) =>
          findCode('item-data-type', item.dataType)?.lengthRequired === true &&
          item.length === undefined && {
            code: 'CAT-016',
            location: `/items/${index}/length`,
            params: { name: item.name, dataType: item.dataType },
          },
      ),
  },
  {
    code: 'CAT-019',
    description:
      'A sensitive item is not in an unconditionally open resource unless the item itself is closed.',
    check: (resource) =>
      resource.opening.type !== '无条件开放'
        ? []
        : eachItem(
            resource,
            (item, index) =>
              item.sensitive === true &&
              item.openType !== '不予开放' && {
                code: 'CAT-019',
                location: `/items/${index}/sensitive`,
                params: { name: item.name },
              },
          ),
  },
  {
    code: 'CAT-024',
    description: 'A timestamp item is of type D or T.',
    check: (resource) =>
      eachItem(
        resource,
        (item, index) =>
          item.isTimestamp === true &&
          item.dataType !== 'D' &&
          item.dataType !== 'T' && {
            code: 'CAT-024',
            location: `/items/${index}/dataType`,
            params: { name: item.name },
          },
      ),
  },
  {
    code: 'CAT-025',
    description: 'An item refers only to a code table that exists.',
    check: (resource) =>
      eachItem(
        resource,
        (item, index) =>
          item.codeTable !== undefined &&
          !hasCodeTable(item.codeTable) && {
            code: 'CAT-025',
            location: `/items/${index}/codeTable`,
            params: { name: item.name, found: item.codeTable, expected: VALUE_TABLES.join('、') },
            found: item.codeTable,
          },
      ),
  },
  {
    code: 'CAT-026',
    description: 'A structured resource has at least one item.',
    check: ({ format, items }) =>
      STRUCTURED.has(format.category) && (items ?? []).length === 0
        ? [{ code: 'CAT-026', location: '/items', params: { category: format.category } }]
        : [],
  },
];
