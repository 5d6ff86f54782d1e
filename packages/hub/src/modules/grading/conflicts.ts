import { checkGradingConflicts, gradeRank, proposeGrade, type GradingConflict } from '@minjiang/standards';
import {
  publishedResources,
  sampleValues,
  type PublishedResource,
  type ResourceFilter,
} from './resources.js';
import type { GradingScope } from './scope.js';
import { gradingDb, type ProposalRow } from './tables.js';
import { detailOf } from './views.js';

/** The newest proposal of each resource that a reviewer has not thrown out. */
async function latestProposals(scope: GradingScope, codes: string[]): Promise<Map<string, ProposalRow>> {
  const latest = new Map<string, ProposalRow>();
  for (let start = 0; start < codes.length; start += 500) {
    const rows = await gradingDb(scope.hub.store.db)
      .selectFrom('grading_proposals')
      .selectAll()
      .where('resource_code', 'in', codes.slice(start, start + 500))
      .where('status', 'in', ['pending', 'accepted', 'applied'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const row of rows) latest.set(row.resource_code, row);
  }
  return latest;
}

/**
 * Item levels for the check: the latest proposal's, capped at the reviewer's level when an
 * override lowered it (a reviewer who sets the resource's level says no item is above it);
 * without a proposal, the engine's, computed now from the catalog and the row store.
 */
async function itemGrades(
  scope: GradingScope,
  resource: PublishedResource,
  proposal: ProposalRow | undefined,
) {
  if (proposal) {
    const cap = proposal.decided ?? proposal.proposed;
    return Object.fromEntries(
      detailOf(proposal)['zh-CN'].items.map((item) => [
        item.name,
        gradeRank(item.grade) > gradeRank(cap) ? cap : item.grade,
      ]),
    );
  }
  const { values } = await sampleValues(scope.hub.store.db, resource.code, scope.hub.config.gradingSample);
  const proposed = proposeGrade(resource.document, { samples: values, rules: scope.setup.rules });
  return Object.fromEntries(proposed.items.map((item) => [item.name, item.grade]));
}

/** Every conflict of the covered published resources with the configured policy. */
export async function conflictsReport(scope: GradingScope, filter: ResourceFilter) {
  const resources = await publishedResources(scope.hub.store.db, filter);
  const proposals = await latestProposals(
    scope,
    resources.map((resource) => resource.code),
  );
  const conflicts: (GradingConflict & {
    version: number;
    basis: 'proposal' | 'engine';
    proposal?: string;
  })[] = [];
  for (const resource of resources) {
    const proposal = proposals.get(resource.code);
    const items = await itemGrades(scope, resource, proposal);
    const found = checkGradingConflicts(resource.document, scope.setup.policy, { items }, scope.lang);
    const basis = proposal
      ? { basis: 'proposal' as const, proposal: proposal.id }
      : { basis: 'engine' as const };
    conflicts.push(...found.map((conflict) => ({ ...conflict, version: resource.version, ...basis })));
  }
  const { name, title, version } = scope.setup.policy;
  return {
    policy: { name, title, version },
    checked: resources.length,
    resourcesWithConflicts: new Set(conflicts.map((conflict) => conflict.resource)).size,
    conflicts,
  };
}
