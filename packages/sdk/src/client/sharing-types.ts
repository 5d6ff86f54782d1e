/** Types of sharing applications, grants and credentials (docs/sharing-api.md). */
import type { DsseEnvelope } from '@minjiang/standards';

export type ApplicationState =
  | 'DRAFT'
  | 'SUBMITTED'
  | 'PRECHECK'
  | 'PROVIDER_REVIEW'
  | 'OFFERED'
  | 'ACCEPTED'
  | 'APPROVED'
  | 'ACTIVE'
  | 'SUSPENDED'
  | 'REJECTED'
  | 'ESCALATED'
  | 'WITHDRAWN'
  | 'EXPIRED'
  | 'REVOKED';

/** The transitions a client may send (`activate` and the scheduler's steps are the hub's own). */
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

export type SharingMode = 'API' | 'PACKAGE' | 'VERIFY';
export type ApplicationKind = 'sharing' | 'open';
export type Party = 'applicant' | 'platform' | 'provider' | 'requester' | 'nobody';

/** Who must act next and by when (every view carries it). */
export interface NextStep {
  party: Party;
  role: 'officer' | 'reviewer' | 'admin' | null;
  org: string | null;
  actions: string[];
  deadline: string | null;
}

/** Dates `YYYY-MM-DD`. */
export interface Period {
  from: string;
  to: string;
}

export interface Quota {
  perDay?: number;
  perSecond?: number;
}

/** What the applicant asks for: the body of `POST /applications` without `submit`. */
export interface ApplicationRequest {
  kind?: ApplicationKind;
  resourceCode: string;
  items: string[];
  purposeCode: string;
  purpose: string;
  scenario: { class: string; description: string };
  legalBasis: string;
  relatedMatter?: string;
  mode: SharingMode;
  period: Period;
  expectedVolume?: { perDay: number };
  masking?: { profile: string };
  contact: { name: string; phone: string };
  securityCommitment: { accepted: true; text: string };
}

export interface NewApplication extends ApplicationRequest {
  /** Default true: create and submit in one step; false leaves a DRAFT. */
  submit?: boolean;
}

/** The fields every transition message may carry. */
export interface WorkflowMessage {
  /** Sent fresh by every SDK call unless given: a retry with the same id records nothing. */
  messageId?: string;
  /** Refused with 409 when the application is in another state. */
  expectedState?: ApplicationState;
  reason?: string;
}

/** `approve`: the provider or admin may narrow the grant without an offer. */
export interface ApproveBody extends WorkflowMessage {
  quota?: Quota;
  rowFilter?: string;
  /** A masking profile id (MP-…). */
  masking?: string;
}

/** The provider's counter-offer. `masking` is a profile id (MP-…), as the grant stores it. */
export interface OfferTerms {
  items: string[];
  masking: string;
  quota: Quota & { perDay: number };
  period: Period;
  mode: SharingMode;
  /** `<item name> = <value>[, <value>…]`. */
  rowFilter?: string;
}

export interface OfferBody extends OfferTerms, WorkflowMessage {}

/** An offer as the hub keeps it: its id and `sm3:<hex>` digest, which `accept` must echo. */
export interface Offer extends OfferTerms {
  id: string;
  digest: string;
}

export interface AcceptBody extends WorkflowMessage {
  offerId: string;
  offerDigest: string;
}

export interface HistoryEntry {
  seq: number;
  action: string;
  from: string | null;
  to: string;
  actor: { org?: string | null; token?: string; system?: string };
  reason?: string;
  detail?: Record<string, unknown>;
  at: string;
}

export interface Application {
  id: string;
  kind: ApplicationKind;
  resourceCode: string;
  resourceVersion: number;
  /** In the contract; hubs that predate it leave it out. */
  resourceName?: string;
  provider: string;
  applicant: string;
  shareType: 'UNCONDITIONAL' | 'CONDITIONAL' | 'NONE';
  state: ApplicationState;
  request: ApplicationRequest;
  offer?: Offer;
  grant?: string;
  reason?: string;
  final: boolean;
  deadline?: string;
  breachedAt?: string;
  next: NextStep;
  history: HistoryEntry[];
  createdAt: string;
  updatedAt: string;
}

/** An application as listed: the view without its history (read one for that). */
export type ApplicationSummary = Omit<Application, 'history'>;

export interface ApplicationListQuery {
  as?: 'applicant' | 'provider';
  state?: ApplicationState;
  resource?: string;
  limit?: number;
}

export type GrantStatus = 'active' | 'suspended' | 'revoked' | 'expired';

export interface GrantView {
  id: string;
  application: string;
  status: GrantStatus;
  assigner: string;
  assignee: string;
  resourceCode: string;
  mode: SharingMode;
  items: string[];
  purposeCode: string;
  masking: string;
  rowFilter?: string;
  quota: Quota;
  validFrom: string;
  validTo: string;
  issuedAt: string;
  envelope: DsseEnvelope;
  /** The signed grant document (exchange/grant-1.0), as the envelope's payload says. */
  document: Record<string, unknown>;
  /**
   * A grant another hub issued (cascade routing, docs/cascade-routing.md): that hub's node key,
   * which signed it, as this hub's province vouches for it.
   */
  signer?: { hub: string; keyId: string; publicKey: string };
}

/** A credential as issued: the secret is in this answer only. */
export interface IssuedCredential {
  appKey: string;
  /** The HMAC secret; absent for an SM2 public key (`alg: "sm2-sm3"`), whose private key the client holds. */
  secret?: string;
  alg?: 'hmac-sm3' | 'sm2-sm3';
  grant: string;
  createdAt: string;
}

export interface CredentialInfo {
  appKey: string;
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt?: string;
}

/** How a wait for a decision ended (the CLI's exit codes 0, 1 and 7). */
export type DecisionOutcome = 'approved' | 'refused' | 'pending';

export interface DecisionWait {
  outcome: DecisionOutcome;
  application: Application;
  /** Polls made, the first included. */
  polls: number;
}
