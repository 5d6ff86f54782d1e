/** Tables of demands, sharing applications, grants and notifications (migration 003). */

/** Times are ISO 8601 text in UTC on both engines (see schema.ts). */
type Time = string;

export type ApplicationState =
  | 'DRAFT'
  | 'SUBMITTED'
  | 'PRECHECK'
  | 'PROVIDER_REVIEW'
  | 'OFFERED'
  | 'ACCEPTED'
  | 'APPROVED'
  | 'ACTIVE'
  | 'REJECTED'
  | 'ESCALATED'
  | 'WITHDRAWN'
  | 'EXPIRED'
  | 'REVOKED'
  | 'SUSPENDED';

export type DemandState =
  'DRAFT' | 'SUBMITTED' | 'ROUTED' | 'CLAIMED' | 'FULFILLED' | 'DECLINED' | 'CLOSED' | 'WITHDRAWN';

/** 共享申请 (sharing) or 开放申请 (open data). */
export type ApplicationKind = 'sharing' | 'open';

/** The share (or open) type of the resource when the application was submitted. */
export type ApplicationShareType = 'UNCONDITIONAL' | 'CONDITIONAL' | 'NONE';

export interface ApplicationTable {
  /** `urn:ses:app:<hub>:<year>:<n>` or `urn:ses:oapp:…`. */
  id: string;
  kind: ApplicationKind;
  resource_code: string;
  /** The published version the application was made against. */
  resource_version: number;
  provider_org: string;
  applicant_org: string;
  share_type: ApplicationShareType;
  state: ApplicationState;
  /** JSON: what the applicant asked for (items, purpose, scenario, mode, period, …). */
  request: string;
  /** JSON: the provider's counter-offer, with its id and SM3 digest. */
  offer: string | null;
  grant_id: string | null;
  /** The reason of the last rejection, escalation or revocation. */
  reason: string | null;
  /** 1 once the 主管部门 has rejected after an escalation: no further escalation. */
  final: number;
  /** When the party who must act next runs out of time (null when nobody is waited on). */
  deadline: Time | null;
  /** When the current deadline was found missed (escalated and notified once). */
  breached_at: Time | null;
  created_by: string;
  created_at: Time;
  updated_at: Time;
}

/** One transition of an application or a demand. */
export interface WorkflowEventTable {
  subject_id: string;
  seq: number;
  /** The client's message id: a repeated message answers the same state and adds nothing. */
  message_id: string | null;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_org: string | null;
  /** Token id, or `system:<name>` for the hub's own steps (precheck routing, deadlines). */
  actor: string;
  reason: string | null;
  /** JSON of whatever else the step decided (an offer, a grant id, a fulfilment). */
  detail: string | null;
  at: Time;
}

export type GrantStatus = 'active' | 'suspended' | 'revoked' | 'expired';

export interface GrantTable {
  /** `urn:ses:grant:<hub>:<year>:<n>`. */
  id: string;
  application_id: string;
  assigner_org: string;
  assignee_org: string;
  resource_code: string;
  resource_version: number;
  mode: 'API' | 'PACKAGE' | 'VERIFY';
  /** JSON array of granted item names. */
  items: string;
  purpose_code: string;
  masking: string;
  row_filter: string | null;
  per_day: number | null;
  per_second: number | null;
  valid_from: Time;
  valid_to: Time;
  status: GrantStatus;
  /** JSON: the DSSE envelope of the signed grant document. */
  envelope: string;
  issued_at: Time;
  updated_at: Time;
}

export interface GrantCredentialTable {
  /** `ak_<hex>`: the public half the consumer sends with every call. */
  app_key: string;
  grant_id: string;
  /** The secret, SM4-encrypted at rest: HMAC verification needs the secret itself. */
  secret_enc: string;
  status: 'active' | 'revoked';
  created_by: string;
  created_at: Time;
  revoked_at: Time | null;
}

export interface DemandTable {
  /** `urn:ses:demand:<hub>:<year>:<n>`. */
  id: string;
  requester_org: string;
  /** The provider it was routed to or that claimed it. */
  provider_org: string | null;
  state: DemandState;
  /** JSON: the demand as filed (subject, wanted items, purpose, …). */
  document: string;
  /** The resource that fulfilled it. */
  resource_code: string | null;
  reason: string | null;
  deadline: Time | null;
  breached_at: Time | null;
  created_by: string;
  created_at: Time;
  updated_at: Time;
}

export interface WebhookTable {
  id: string;
  org_id: string;
  url: string;
  /** The signing secret, SM4-encrypted at rest (it is shown once, at registration). */
  secret_enc: string;
  /** JSON array of event types, or ["*"]. */
  events: string;
  /** 1 when an admin registered it: it also receives the platform's (主管部门) notifications. */
  platform: number;
  created_by: string;
  created_at: Time;
  disabled_at: Time | null;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** A notification waiting for (or done with) delivery to one webhook. */
export interface NotificationOutboxTable {
  id: string;
  webhook_id: string;
  event_type: string;
  /** The JSON body sent, fixed when the notification is queued. */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Time;
  /** A dispatcher's claim: other hub processes leave the row alone until then. */
  locked_until: Time | null;
  last_error: string | null;
  created_at: Time;
  delivered_at: Time | null;
}

export interface SharingTables {
  applications: ApplicationTable;
  application_events: WorkflowEventTable;
  grants: GrantTable;
  grant_credentials: GrantCredentialTable;
  demands: DemandTable;
  demand_events: WorkflowEventTable;
  webhooks: WebhookTable;
  notification_outbox: NotificationOutboxTable;
}

/** A nonce seen on a signed call, kept for the replay window (migration 004). */
export interface SesNonceTable {
  keyid: string;
  nonce: string;
  expires_at: Time;
}

/** Calls (and verified subjects) counted per grant and China day, for the daily quota. */
export interface GrantUsageTable {
  grant_id: string;
  day: string;
  calls: number;
}

/** A file package built under a PACKAGE grant: the ses-bag zip and its DSSE signature. */
export interface SesPackageTable {
  id: string;
  grant_id: string;
  recipient: string;
  body: Buffer;
  signature: string;
  digest: string;
  bytes: number;
  rows: number;
  status: 'built' | 'downloaded' | 'completed';
  created_at: Time;
  expires_at: Time;
  completed_at: Time | null;
}

export interface ExchangeTables {
  ses_nonces: SesNonceTable;
  grant_usage: GrantUsageTable;
  ses_packages: SesPackageTable;
}
