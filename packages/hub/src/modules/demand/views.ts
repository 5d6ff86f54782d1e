/**
 * How a demand reads: the API view with `next` (who must act, and by when), and the actions each
 * state allows, which both `next` and the 409 refusals quote.
 */
import type { Selectable } from 'kysely';
import type { DemandState, DemandTable } from '../../db/schema-sharing.js';
import type { Caller } from '../identity/tokens.js';

export type DemandRow = Selectable<DemandTable>;

/** The demand as filed, plus the fulfilment the provider recorded (the `document` column). */
export interface FiledDemand {
  subject: string;
  description?: string;
  wantedItems: string[];
  purpose: string;
  legalBasis?: string;
  scenario: string;
  urgency: 'NORMAL' | 'URGENT' | 'CRITICAL';
  expectedProvider?: string;
  expectedDate?: string;
  contact: { name: string; phone: string };
  fulfilment?: { resourceCode: string; note?: string; fulfilledAt: string };
}

export interface DemandNext {
  party: 'platform' | 'provider' | 'requester' | 'nobody';
  role: 'officer' | 'admin' | null;
  org: string | null;
  actions: string[];
  deadline: string | null;
}

/** Every action possible from a state, whoever may take it. */
export const ACTIONS_FROM: Record<DemandState, readonly string[]> = {
  DRAFT: ['submit', 'withdraw'],
  SUBMITTED: ['route', 'claim', 'withdraw'],
  ROUTED: ['route', 'claim', 'fulfil', 'decline', 'withdraw'],
  CLAIMED: ['fulfil', 'decline', 'withdraw'],
  FULFILLED: ['close'],
  DECLINED: ['close'],
  CLOSED: [],
  WITHDRAWN: [],
};

/** Who is waited on in each state. An unrouted SUBMITTED demand waits on the platform to route it. */
export function nextOf(
  row: Pick<DemandRow, 'state' | 'requester_org' | 'provider_org' | 'deadline'>,
): DemandNext {
  switch (row.state) {
    case 'DRAFT':
      return {
        party: 'requester',
        role: 'officer',
        org: row.requester_org,
        actions: ['submit', 'withdraw'],
        deadline: null,
      };
    case 'SUBMITTED':
      return { party: 'platform', role: 'admin', org: null, actions: ['route'], deadline: null };
    case 'ROUTED':
    case 'CLAIMED':
      return {
        party: 'provider',
        role: 'officer',
        org: row.provider_org,
        actions: row.state === 'ROUTED' ? ['claim', 'fulfil', 'decline'] : ['fulfil', 'decline'],
        deadline: row.deadline,
      };
    case 'FULFILLED':
    case 'DECLINED':
      return {
        party: 'requester',
        role: 'officer',
        org: row.requester_org,
        actions: ['close'],
        deadline: null,
      };
    default:
      return { party: 'nobody', role: null, org: null, actions: [], deadline: null };
  }
}

/**
 * Officers and reviewers see their organisation's demands, as requester or provider, and the
 * unrouted SUBMITTED ones they may claim; admins and auditors see every demand.
 */
export function seesDemand(
  caller: Caller,
  row: Pick<DemandRow, 'state' | 'requester_org' | 'provider_org'>,
): boolean {
  if (caller.roles.includes('admin') || caller.roles.includes('auditor')) return true;
  if (row.requester_org === caller.orgId || row.provider_org === caller.orgId) return true;
  return row.state === 'SUBMITTED' && row.provider_org === null;
}

/** The demand as the API shows it; `history` only where it was read (one demand, not lists). */
export function demandView(row: DemandRow, history?: unknown[]) {
  const filed = JSON.parse(row.document) as FiledDemand;
  return {
    id: row.id,
    requester: row.requester_org,
    ...(row.provider_org !== null ? { provider: row.provider_org } : {}),
    state: row.state,
    ...filed,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.deadline !== null ? { deadline: row.deadline } : {}),
    ...(row.breached_at !== null ? { breachedAt: row.breached_at } : {}),
    next: nextOf(row),
    ...(history ? { history } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type DemandView = ReturnType<typeof demandView>;
