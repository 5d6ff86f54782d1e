/** Tables of cascade routing of sharing applications (migration 010, docs/cascade-routing.md). */

/** Times are ISO 8601 text in UTC on both engines (see schema.ts). */
type Time = string;

/**
 * At the hub where a consumer applied for another hub's resource: the routed application, kept
 * here (the local `applications` table references the local catalog) with the owner's view of it
 * mirrored from the events that come back.
 */
export interface CascadeRoutedApplicationTable {
  /** `urn:ses:app:<this hub>:<year>:<n>`, numbered with the local applications. */
  id: string;
  /** The hub that owns the resource, when known (a city routing to its parent learns it later). */
  owner_hub: string | null;
  /** The hub the application went to first (the parent, or the owning child). */
  next_hop: string;
  applicant_org: string;
  created_by: string;
  resource_code: string;
  /** JSON of the request as filed (the create body without `submit`). */
  request: string;
  /** FORWARDING until a hop accepted it, then the owner's state; REFUSED when a hop refused it. */
  state: string;
  /** The owner's application id, once it answered. */
  remote_id: string | null;
  /** JSON array of the hub codes it passed, as the owner received them. */
  via: string;
  /** JSON of the owner's application view, as the last event carried it. */
  remote: string | null;
  /** The grant id issued by the owner hub (`urn:ses:grant:<owner>:…`). */
  grant_id: string | null;
  /** JSON of the owner's grant view with its signed envelope. */
  grant_view: string | null;
  /** JSON `{ status, code, message }` of a hop's refusal. */
  refusal: string | null;
  /** Seq of the last event applied (events may overtake each other on retries). */
  event_seq: number;
  created_at: Time;
  updated_at: Time;
}

/** At a province relaying a routed application: where it came from and where it went. */
export interface CascadeRouteTable {
  origin_id: string;
  /** The hub that sent it here (events go back to it). */
  from_hub: string;
  /** The hub it was sent on to (applicant actions follow it). */
  to_hub: string;
  /** JSON array of the hub codes it passed, this hub last. */
  via: string;
  created_at: Time;
}

/** At the owner hub: a local application made for an applicant of another hub. */
export interface CascadeRemoteApplicationTable {
  origin_id: string;
  application_id: string;
  /** The hub the application came from (its events go back there). */
  reply_to: string;
  origin_hub: string;
  via: string;
  created_at: Time;
}

/** At the owner hub: organisations of other hubs registered as applicants (they never log in). */
export interface CascadeRemoteOrganisationTable {
  org_id: string;
  origin_hub: string;
  created_at: Time;
}

/** At the originating hub: credentials of routed grants, stored by the owner hub. */
export interface CascadeRoutedCredentialTable {
  app_key: string;
  grant_id: string;
  application_id: string;
  status: 'active' | 'revoked';
  created_by: string;
  created_at: Time;
  revoked_at: Time | null;
}

export type OutboxKind = 'application' | 'event' | 'action' | 'credential';

/** Hub-to-hub messages waiting to be delivered (at least once; receivers are idempotent). */
export interface CascadeOutboxTable {
  message_id: string;
  kind: OutboxKind;
  /** The hub code the message goes to (the parent or a child). */
  target: string;
  /** The path on the target hub. */
  path: string;
  /** JSON body. */
  body: string;
  /** The routed or remote application it is about. */
  subject: string;
  status: 'pending' | 'delivered' | 'refused';
  attempts: number;
  next_attempt_at: Time;
  /** A delivering process holds the row until then. */
  claimed_until: Time | null;
  last_error: string | null;
  created_at: Time;
  delivered_at: Time | null;
}

/** Message ids already applied by this hub, with the answer given (a retry gets the same). */
export interface CascadeInboxTable {
  message_id: string;
  kind: OutboxKind;
  subject: string;
  received_at: Time;
}

export interface CascadeRoutingTables {
  cascade_routed_applications: CascadeRoutedApplicationTable;
  cascade_routes: CascadeRouteTable;
  cascade_remote_applications: CascadeRemoteApplicationTable;
  cascade_remote_organisations: CascadeRemoteOrganisationTable;
  cascade_routed_credentials: CascadeRoutedCredentialTable;
  cascade_outbox: CascadeOutboxTable;
  cascade_inbox: CascadeInboxTable;
}
