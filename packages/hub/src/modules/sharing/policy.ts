/**
 * The application state machine (exchange.md §8.5, docs/sharing-api.md): which party may take
 * which step from which state, and who must act next. Parties, not roles: the applicant is the
 * applicant organisation's officer, the provider its reviewer, the platform (主管部门) an admin.
 */
import type { ApplicationState, ApplicationTable } from '../../db/schema-sharing.js';
import type { Caller } from '../identity/tokens.js';

export type Party = 'applicant' | 'platform' | 'provider';

export type ApplicationAction =
  | 'submit'
  | 'approve'
  | 'offer'
  | 'reject'
  | 'accept'
  | 'escalate'
  | 'withdraw'
  | 'suspend'
  | 'resume'
  | 'revoke';

/** Which party takes an action in which state. */
const STEPS: Record<ApplicationAction, Partial<Record<ApplicationState, readonly Party[]>>> = {
  submit: { DRAFT: ['applicant'] },
  approve: { PRECHECK: ['platform'], PROVIDER_REVIEW: ['provider'], ESCALATED: ['platform'] },
  offer: { PROVIDER_REVIEW: ['provider'] },
  reject: {
    PRECHECK: ['platform'],
    PROVIDER_REVIEW: ['provider'],
    OFFERED: ['provider'],
    ESCALATED: ['platform'],
  },
  accept: { OFFERED: ['applicant'] },
  escalate: { REJECTED: ['applicant'] },
  withdraw: {
    DRAFT: ['applicant'],
    PRECHECK: ['applicant'],
    PROVIDER_REVIEW: ['applicant'],
    OFFERED: ['applicant'],
    ESCALATED: ['applicant'],
  },
  suspend: { ACTIVE: ['provider', 'platform'] },
  resume: { SUSPENDED: ['provider', 'platform'] },
  revoke: {
    APPROVED: ['provider', 'platform'],
    ACTIVE: ['provider', 'platform'],
    SUSPENDED: ['provider', 'platform'],
  },
};

/** The role each party acts with. */
export const PARTY_ROLE = { applicant: 'officer', provider: 'reviewer', platform: 'admin' } as const;

/** Steps that must say why (rule APP-006: REJECTED and ESCALATED entries carry a reason). */
export const NEEDS_REASON: ReadonlySet<ApplicationAction> = new Set([
  'reject',
  'escalate',
  'suspend',
  'revoke',
]);

/** The roles a route for an action admits (the organisation is checked against the application). */
export function actionRoles(action: ApplicationAction): ('officer' | 'reviewer' | 'admin')[] {
  const parties = new Set(Object.values(STEPS[action]).flat());
  return [...parties].map((party) => PARTY_ROLE[party]);
}

type Parties = Pick<ApplicationTable, 'state' | 'applicant_org' | 'provider_org' | 'final'>;

/** The actions open in a state (to anyone), for refusals and the `next` view. */
export function allowedActions(application: Parties): ApplicationAction[] {
  return (Object.keys(STEPS) as ApplicationAction[]).filter(
    (action) => STEPS[action][application.state] && !(action === 'escalate' && application.final === 1),
  );
}

/** The parties a caller can speak for on this application. */
export function partiesOf(caller: Caller, application: Parties): Party[] {
  const parties: Party[] = [];
  if (caller.roles.includes('admin')) parties.push('platform');
  if (caller.roles.includes('officer') && caller.orgId === application.applicant_org)
    parties.push('applicant');
  if (caller.roles.includes('reviewer') && caller.orgId === application.provider_org)
    parties.push('provider');
  return parties;
}

/** The party the caller acts as for this step, or why not: the state or the organisation. */
export function stepParty(
  caller: Caller,
  application: Parties,
  action: ApplicationAction,
): Party | 'state' | 'party' {
  if (!allowedActions(application).includes(action)) return 'state';
  const parties = STEPS[action][application.state] ?? [];
  return partiesOf(caller, application).find((party) => parties.includes(party)) ?? 'party';
}

/** Who is waited on in each state (the deadline, if any, is the application's). */
const WAITING: Partial<Record<ApplicationState, Party>> = {
  DRAFT: 'applicant',
  PRECHECK: 'platform',
  PROVIDER_REVIEW: 'provider',
  OFFERED: 'applicant',
  REJECTED: 'applicant',
  ESCALATED: 'platform',
  APPROVED: 'applicant',
  SUSPENDED: 'provider',
};

/** Actions of the waited-on party, with `activate` (credentials) for an approved applicant. */
function nextActions(application: Parties, party: Party): string[] {
  const actions: string[] = allowedActions(application).filter((action) =>
    (STEPS[action][application.state] ?? []).includes(party),
  );
  return application.state === 'APPROVED' ? ['activate', ...actions] : actions;
}

/** Who must act next, with what, and by when (docs/sharing-api.md "next"). */
export function nextStep(application: Parties & Pick<ApplicationTable, 'deadline'>) {
  const party = WAITING[application.state];
  const actions = party ? nextActions(application, party) : [];
  if (!party || actions.length === 0)
    return { party: 'nobody' as const, role: null, org: null, actions: [], deadline: null };
  const org =
    party === 'applicant'
      ? application.applicant_org
      : party === 'provider'
        ? application.provider_org
        : null;
  return { party, role: PARTY_ROLE[party], org, actions, deadline: application.deadline };
}
