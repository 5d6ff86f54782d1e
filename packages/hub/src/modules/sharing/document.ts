/** An application as the standards document application/sharing-application-1.0. */
import { hubOrganisationId } from '../../bootstrap.js';
import { workflowHistory, type WorkflowScope } from '../workflow/events.js';
import { findApplication, offerOf, requestOf, type ApplicationRow } from './records.js';
import { publishedResource, type PublishedResource } from './resource-terms.js';

type History = Awaited<ReturnType<typeof workflowHistory>>;

/** The history as the standard records it: the organisation (member id) that acted, or the hub's. */
function standardHistory(row: ApplicationRow, history: History, hubOrg: string) {
  const entries = history.map((entry) => ({
    state: entry.to,
    actor: 'org' in entry.actor && entry.actor.org ? entry.actor.org : hubOrg,
    time: entry.at,
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
  }));
  return entries.length > 0
    ? entries
    : [{ state: row.state, actor: row.applicant_org, time: row.created_at }];
}

export function applicationDocument(
  row: ApplicationRow,
  resource: PublishedResource,
  applicant: { name: string; uscc: string },
  history: History,
  hubOrg: string,
) {
  // The standard's document has no kind: the id's prefix (app / oapp) says it.
  const request: Partial<ReturnType<typeof requestOf>> = { ...requestOf(row) };
  delete request.kind;
  const offer = offerOf(row);
  return {
    id: row.id,
    applicant: { name: applicant.name, uscc: applicant.uscc },
    provider: { name: resource.providerName, uscc: resource.providerUscc },
    ...request,
    state: row.state,
    ...(offer ? { offer } : {}),
    ...(row.state === 'REJECTED' && row.reason !== null ? { rejectionReason: row.reason } : {}),
    ...(row.grant_id !== null ? { grant: row.grant_id } : {}),
    history: standardHistory(row, history, hubOrg),
  };
}

/** `GET /applications/{id}/document`. */
export async function readApplicationDocument(scope: WorkflowScope, id: string) {
  const { db } = scope.hub.store;
  const row = await findApplication(db, scope, id);
  const resource = await publishedResource(db, scope.lang, row.resource_code, Number(row.resource_version));
  const applicant = await db
    .selectFrom('organisations')
    .select(['name', 'uscc'])
    .where('id', '=', row.applicant_org)
    .executeTakeFirstOrThrow();
  const history = await workflowHistory(db, 'application_events', id);
  return applicationDocument(row, resource, applicant, history, hubOrganisationId(scope.hub.config.hubCode));
}
