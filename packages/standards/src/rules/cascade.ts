import type { CascadeFeedItem } from '../generated/types.js';
import { one, type Rule } from './rule.js';

const DELETE_ONLY = ['reason', 'successor'] as const;

/** Rules of a cascade feed item (FED-0xx). */
export const feedItemRules: Rule<CascadeFeedItem>[] = [
  {
    code: 'FED-001',
    description: 'A Delete carries no record.',
    check: ({ type, record }) =>
      one(type === 'Delete' && record !== undefined && { code: 'FED-001', location: '/record' }),
  },
  {
    code: 'FED-002',
    description: 'reason and successor only appear on Delete items.',
    check: (item) =>
      item.type === 'Delete'
        ? []
        : DELETE_ONLY.filter((property) => item[property] !== undefined).map((property) => ({
            code: 'FED-002',
            location: `/${property}`,
            params: { type: item.type, property },
          })),
  },
  {
    code: 'FED-003',
    description: 'The successor is another dataset.',
    check: ({ object, successor }) =>
      one(successor === object && { code: 'FED-003', location: '/successor', found: successor }),
  },
  {
    code: 'FED-004',
    description: 'A MERGED delete names its successor.',
    check: ({ type, reason, successor }) =>
      one(
        type === 'Delete' &&
          reason === 'MERGED' &&
          (successor === undefined || successor === null) && { code: 'FED-004', location: '/successor' },
      ),
  },
  {
    code: 'FED-005',
    description: 'A Create is version 1.',
    check: ({ type, version }) =>
      one(
        type === 'Create' &&
          version !== 1 && {
            code: 'FED-005',
            location: '/version',
            params: { found: version },
            found: String(version),
          },
      ),
  },
  {
    code: 'FED-006',
    description: 'Each key signs the record once.',
    check: ({ record }) => {
      const seen = new Set<string>();
      return (record?.signatures ?? []).flatMap((signature, index) => {
        if (!seen.has(signature.keyid)) {
          seen.add(signature.keyid);
          return [];
        }
        return [
          {
            code: 'FED-006',
            location: `/record/signatures/${index}/keyid`,
            params: { found: signature.keyid },
            found: signature.keyid,
          },
        ];
      });
    },
  },
  {
    code: 'FED-007',
    description: 'via does not list the owner hub (the hub in the object URN).',
    check: ({ object, via }) => {
      const owner = object.split(':')[3];
      return (via ?? []).flatMap((hub, index) =>
        hub === owner
          ? [{ code: 'FED-007', location: `/via/${index}`, params: { found: hub }, found: hub }]
          : [],
      );
    },
  },
];
