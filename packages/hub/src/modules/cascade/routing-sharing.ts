/**
 * Where the sharing routes meet cascade routing: each route asks here first whether the
 * application or grant is a routed one (made here for another hub's resource) and falls back to
 * the local behaviour otherwise, so `minjiang share …` works the same for both.
 */
import { createApplication, type CreateApplicationInput } from '../sharing/create.js';
import {
  findGrant,
  issueCredential,
  listCredentials,
  revokeCredential,
  type CredentialRequest,
} from '../sharing/credentials.js';
import { grantView } from '../sharing/grants.js';
import type { ApplicationAction } from '../sharing/policy.js';
import { listApplications, readApplication, type ApplicationQuery } from '../sharing/records.js';
import { act, type StepInput } from '../sharing/transitions.js';
import type { WorkflowScope } from '../workflow/events.js';
import {
  issueRoutedCredential,
  listRoutedCredentials,
  revokeRoutedCredential,
  routedGrant,
  routedStep,
} from './routing-applicant.js';
import { createRouted, findRouted, mergePages, routeFor, routedPage, routedView } from './routing-origin.js';

/** A code of this hub's catalog is applied for here; one held elsewhere is routed to its owner. */
export async function applyOrRoute(scope: WorkflowScope, input: CreateApplicationInput) {
  const route = await routeFor(scope.hub, input.resourceCode);
  return route ? createRouted(scope, input, route) : createApplication(scope, input);
}

/** Local and routed applications in one newest-first list (providers see only local ones). */
export async function listWithRouted(scope: WorkflowScope, query: ApplicationQuery) {
  const local = await listApplications(scope, query);
  if (query.as === 'provider') return local;
  return mergePages(local, await routedPage(scope, query), query.limit);
}

export async function readWithRouted(scope: WorkflowScope, id: string) {
  const routed = await findRouted(scope.hub.store.db, scope, id);
  return routed ? routedView(routed) : readApplication(scope, id);
}

export async function stepOrRoute(
  scope: WorkflowScope,
  id: string,
  action: ApplicationAction,
  input: StepInput,
) {
  return (await routedStep(scope, id, action, input)) ?? act(scope, id, action, input);
}

export async function grantWithRouted(scope: WorkflowScope, id: string) {
  return (await routedGrant(scope, id)) ?? grantView(await findGrant(scope.hub.store.db, scope, id));
}

export async function issueCredentialOrRoute(
  scope: WorkflowScope,
  grantId: string,
  request: CredentialRequest,
) {
  return (await issueRoutedCredential(scope, grantId, request)) ?? issueCredential(scope, grantId, request);
}

export async function listCredentialsWithRouted(scope: WorkflowScope, grantId: string) {
  return (await listRoutedCredentials(scope, grantId)) ?? listCredentials(scope, grantId);
}

export async function revokeCredentialOrRoute(scope: WorkflowScope, grantId: string, appKey: string) {
  return (await revokeRoutedCredential(scope, grantId, appKey)) ?? revokeCredential(scope, grantId, appKey);
}
