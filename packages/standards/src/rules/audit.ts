import { isRegionCode } from '../checks/region.js';
import type { AuditCheckpoint, AuditLeaf } from '../generated/types.js';
import { one, type Rule } from './rule.js';

/** Transitions of the application state machine that `app.<transition>` leaves record (exchange.md §8.5). */
export const APP_TRANSITIONS = [
  'create',
  'submit',
  'precheck',
  'review',
  'offer',
  'accept',
  'approve',
  'activate',
  'suspend',
  'resume',
  'reject',
  'escalate',
  'withdraw',
  'expire',
  'revoke',
  'sla_breach',
] as const;

const TRANSITIONS = new Set<string>(APP_TRANSITIONS);

/** Root of the empty RFC 9162 tree with SM3: base64 of SM3(""). */
export const EMPTY_TREE_ROOT = 'GrIdg1XPoX+OYRlIMegajyK+yMco/vt0ftA161CCqis=';

function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Rules of an audit-log leaf (AUD-001–006, AUD-012). */
export const leafRules: Rule<AuditLeaf>[] = [
  {
    code: 'AUD-001',
    description: 'A failure records its error code.',
    check: ({ result, errorCode }) =>
      one(result === 'failure' && errorCode === undefined && { code: 'AUD-001', location: '/errorCode' }),
  },
  {
    code: 'AUD-002',
    description: 'res.http is 2xx exactly when res.code is "0".',
    check: ({ res }) =>
      one(
        res !== undefined &&
          isSuccessStatus(res.http) !== (res.code === '0') && {
            code: 'AUD-002',
            location: '/res/http',
            params: { found: res.http, code: res.code },
            found: String(res.http),
          },
      ),
  },
  {
    code: 'AUD-003',
    description: 'via does not list the recording hub.',
    check: ({ hub, via }) =>
      (via ?? []).flatMap((code, index) =>
        code === hub
          ? [{ code: 'AUD-003', location: `/via/${index}`, params: { found: code }, found: code }]
          : [],
      ),
  },
  {
    code: 'AUD-004',
    description: 'app.<transition> names a transition of the application state machine.',
    check: ({ type }) => {
      if (!type.startsWith('app.')) return [];
      const transition = type.slice(4);
      const expected = APP_TRANSITIONS.join('、');
      return one(
        !TRANSITIONS.has(transition) && {
          code: 'AUD-004',
          location: '/type',
          params: { found: type, expected },
          expected,
          found: type,
        },
      );
    },
  },
  {
    code: 'AUD-005',
    description: 'A catalog Create is version 1; Update and Delete are later versions.',
    check: ({ catalog }) =>
      one(
        catalog !== undefined &&
          (catalog.change === 'Create') !== (catalog.version === 1) && {
            code: 'AUD-005',
            location: '/catalog/version',
            params: { change: catalog.change, found: catalog.version },
            found: String(catalog.version),
          },
      ),
  },
  {
    code: 'AUD-006',
    description: 'The result is success exactly when res.code is "0".',
    check: ({ result, res }) =>
      one(
        res !== undefined &&
          (result === 'success') !== (res.code === '0') && {
            code: 'AUD-006',
            location: '/result',
            params: { code: res.code, found: result },
            found: result,
          },
      ),
  },
  {
    code: 'AUD-012',
    description: 'A success carries no error code.',
    check: ({ result, errorCode }) =>
      one(
        result === 'success' &&
          errorCode !== undefined && {
            code: 'AUD-012',
            location: '/errorCode',
            params: { found: errorCode },
            found: errorCode,
          },
      ),
  },
];

function hubOfOrigin(origin: string): string {
  return origin.split('.')[1] ?? '';
}

/** Rules of an audit checkpoint (AUD-007–011). */
export const checkpointRules: Rule<AuditCheckpoint>[] = [
  {
    code: 'AUD-007',
    description: "The first signature is by a key of the origin's hub.",
    check: ({ origin, signatures }) => {
      const hub = hubOfOrigin(origin);
      const keyId = signatures[0].keyId;
      return one(
        keyId.split('#')[0] !== hub && {
          code: 'AUD-007',
          location: '/signatures/0/keyId',
          params: { found: keyId, expected: hub },
          expected: `${hub}#…`,
          found: keyId,
        },
      );
    },
  },
  {
    code: 'AUD-008',
    description: 'Each key signs once.',
    check: ({ signatures }) => {
      const seen = new Set<string>();
      return signatures.flatMap((signature, index) => {
        if (!seen.has(signature.keyId)) {
          seen.add(signature.keyId);
          return [];
        }
        return [
          {
            code: 'AUD-008',
            location: `/signatures/${index}/keyId`,
            params: { found: signature.keyId },
            found: signature.keyId,
          },
        ];
      });
    },
  },
  {
    code: 'AUD-009',
    description: 'The empty tree has the SM3 hash of the empty string as root.',
    check: ({ size, rootHash }) =>
      one(
        size === 0 &&
          rootHash !== EMPTY_TREE_ROOT && {
            code: 'AUD-009',
            location: '/rootHash',
            params: { expected: EMPTY_TREE_ROOT },
            expected: EMPTY_TREE_ROOT,
            found: rootHash,
          },
      ),
  },
  {
    code: 'AUD-010',
    description: "The origin's hub is a known GB/T 2260 code.",
    check: ({ origin }) => {
      const hub = hubOfOrigin(origin);
      return one(
        !isRegionCode(hub) && { code: 'AUD-010', location: '/origin', params: { found: hub }, found: origin },
      );
    },
  },
  {
    code: 'AUD-011',
    description: 'A checkpoint carries at least one witness cosignature (warning).',
    check: ({ signatures }) => one(signatures.length < 2 && { code: 'AUD-011', location: '/signatures' }),
  },
];
