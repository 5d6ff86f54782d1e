import {
  matchesCode,
  matchesOrg,
  matchesUpdated,
  type ReviewFilter,
  type ReviewTargetType,
} from './admin-review-filter.js';
import type { ReviewTarget } from './admin-review-items.js';
import type { HubClient } from './client/hub-client.js';
import type { ApplicationState, ApplicationSummary } from './client/sharing-types.js';

/** The hub's page size maximum: fewer round trips while resolving a filter. */
const PAGE = 500;

/** What the hub filters itself is sent as query terms; the rest is checked on each listed item. */
async function resourceTargets(client: HubClient, filter: ReviewFilter): Promise<ReviewTarget[]> {
  const targets: ReviewTarget[] = [];
  const listing = client.listResources({
    status: filter.state,
    limit: PAGE,
    ...(filter.org && 'id' in filter.org ? { org: filter.org.id } : {}),
    ...(filter.q !== undefined ? { q: filter.q } : {}),
  });
  for await (const item of listing) {
    if (!matchesOrg(filter.org, item.orgId) || !matchesCode(filter.code, item.code)) continue;
    if (!matchesUpdated(filter, item.updatedAt)) continue;
    targets.push({
      type: 'resource',
      id: item.code,
      name: item.name,
      org: item.orgId,
      state: item.status,
      etag: item.etag,
      ...(item.updatedAt !== undefined ? { updatedAt: item.updatedAt } : {}),
    });
  }
  return targets;
}

function mentions(app: ApplicationSummary, name: string | undefined, text: string): boolean {
  const { request } = app;
  return [app.id, name, request.purpose, request.scenario?.description].some((field) =>
    field?.includes(text),
  );
}

function matchesApplication(filter: ReviewFilter, app: ApplicationSummary): boolean {
  return (
    matchesOrg(filter.org, app.provider) &&
    matchesOrg(filter.applicant, app.applicant) &&
    matchesCode(filter.code, app.resourceCode) &&
    matchesUpdated(filter, app.updatedAt)
  );
}

/**
 * The names of the resources applied for, one read per resource: the list of applications does
 * not carry them, and an administrator decides (and searches with `q`) by name, not by code.
 */
async function resourceNames(client: HubClient, apps: ApplicationSummary[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const code of new Set(apps.map((app) => app.resourceCode))) {
    const given = apps.find((app) => app.resourceCode === code && app.resourceName)?.resourceName;
    const name = given ?? (await client.getResource(code).catch(() => undefined))?.document.name;
    if (name !== undefined) names.set(code, name);
  }
  return names;
}

async function applicationTargets(client: HubClient, filter: ReviewFilter): Promise<ReviewTarget[]> {
  const listing = client.sharing.listApplications({
    state: filter.state as ApplicationState,
    limit: PAGE,
    ...(filter.code && !filter.code.prefix ? { resource: filter.code.value } : {}),
  });
  const listed: ApplicationSummary[] = [];
  for await (const app of listing) if (matchesApplication(filter, app)) listed.push(app);
  const names = await resourceNames(client, listed);
  const { q } = filter;
  const matched =
    q === undefined ? listed : listed.filter((app) => mentions(app, names.get(app.resourceCode), q));
  // Oldest first: the ones nearest their deadline are decided first.
  matched.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return matched.map((app) => {
    const name = names.get(app.resourceCode);
    return {
      type: 'application',
      id: app.id,
      ...(name !== undefined ? { name } : {}),
      org: app.provider,
      applicant: app.applicant,
      resourceCode: app.resourceCode,
      state: app.state,
      updatedAt: app.updatedAt,
    };
  });
}

/** Everything the filter matches, paging through the hub's list routes. Reads only. */
export function findReviewTargets(
  client: HubClient,
  type: ReviewTargetType,
  filter: ReviewFilter,
): Promise<ReviewTarget[]> {
  return type === 'resource' ? resourceTargets(client, filter) : applicationTargets(client, filter);
}
