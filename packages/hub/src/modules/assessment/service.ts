/**
 * The assessment report (考核评价) of a period: every indicator per organisation, the weighted
 * total and the ranking, and its audit entry. Reading a report is audited although reads are not
 * otherwise (docs/assessment.md): the figures of a past period can still move — the catalog and
 * the quality scores are read as they stand, late tickets close — so the log keeps the digest
 * of the ranking each administrator or auditor was given, with the period and the weights.
 */
import { canonicalJson, sm3Hex } from '@minjiang/standards';
import type { AssessmentWeights } from '../../config.js';
import type { OrganisationTable } from '../../db/schema.js';
import { hubOrganisationId } from '../../bootstrap.js';
import { appendAudit } from '../audit/log.js';
import { organisationQuality } from '../governance/quality.js';
import type { GovernanceScope } from '../governance/tickets.js';
import { catalogFigures, emptyCatalog } from './catalog-figures.js';
import type { OrganisationFigures, QualityFigures } from './indicators.js';
import { ticketFigures, responseFigures } from './obligations.js';
import { parsePeriod, type AssessmentPeriod, type PeriodQuery } from './period.js';
import { normaliseSharing, rank, totalScore, type RankedOrganisation } from './ranking.js';
import { sharingFigures } from './sharing-figures.js';

export type OrganisationKind = Exclude<OrganisationTable['kind'], 'province'>;

export interface AssessmentQuery extends PeriodQuery {
  kind?: OrganisationKind;
}

export interface AssessmentReport {
  period: AssessmentPeriod & { timezone: 'Asia/Shanghai' };
  generatedAt: string;
  /** Where snapshot indicators are measured: the period's end, or now while it runs. */
  evaluatedAt: string;
  weights: AssessmentWeights;
  organisations: RankedOrganisation[];
  /** `sm3:<hex>` of the JCS of everything above: what the audit entry records. */
  digest: string;
}

/** The organisations assessed: all but the hub's own (the assessor), of one kind if asked. */
async function assessed(scope: GovernanceScope, kind: OrganisationKind | undefined) {
  let query = scope.hub.store.db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind'])
    .where('id', '<>', hubOrganisationId(scope.hub.config.hubCode))
    .orderBy('id');
  if (kind) query = query.where('kind', '=', kind);
  return query.execute();
}

async function quality(scope: GovernanceScope, org: string, at: Date): Promise<QualityFigures> {
  const measured = await organisationQuality(scope.hub.store.db, org, at, scope.hub.config.qualityWeights);
  const resources = measured?.detail.resources.length ?? 0;
  return {
    score: measured?.score ?? 0,
    resources,
    completeness: measured?.completeness ?? 0,
    validity: measured?.validity ?? 0,
    uniqueness: measured?.uniqueness ?? 0,
    timeliness: measured?.timeliness ?? 0,
  };
}

/** Every indicator's raw figures and score for each organisation (sharing not yet normalised). */
async function figures(
  scope: GovernanceScope,
  period: AssessmentPeriod,
  at: Date,
  orgs: { id: string }[],
): Promise<Map<string, OrganisationFigures>> {
  const { db } = scope.hub.store;
  const { catalog, timeliness } = await catalogFigures(db, period, at);
  const tickets = await ticketFigures(db, period, scope.now);
  const response = await responseFigures(db, period, scope.now, scope.hub.config);
  const sharing = await sharingFigures(db, period);
  const result = new Map<string, OrganisationFigures>();
  for (const { id } of orgs) {
    result.set(id, {
      catalog: catalog.get(id) ?? emptyCatalog(),
      timeliness: timeliness.get(id) ?? { score: 0, resources: 0, withData: 0, timely: 0 },
      quality: await quality(scope, id, at),
      tickets: tickets.get(id) ?? { score: 100, tickets: 0, onTime: 0, late: 0, pending: 0 },
      response: response.get(id) ?? {
        ...{ score: 100, applications: 0, demands: 0, onTime: 0, late: 0, pending: 0 },
        meanWorkingDays: null,
      },
      sharing: sharing.get(id) ?? { score: 0, calls: 0, grants: 0 },
    });
  }
  return result;
}

/** `GET /admin/assessment`: the report, with its audit entry (admin or auditor, by the caller's role). */
export async function assessmentReport(
  scope: GovernanceScope,
  query: AssessmentQuery,
): Promise<AssessmentReport> {
  const period = parsePeriod(query, scope.lang);
  const at = new Date(Math.min(scope.now.getTime(), Date.parse(period.to)));
  const orgs = await assessed(scope, query.kind);
  const measured = await figures(scope, period, at, orgs);
  normaliseSharing([...measured.values()]);
  const weights = scope.hub.config.assessmentWeights;
  const organisations = rank(
    orgs.map((org) => {
      const indicators = measured.get(org.id) as OrganisationFigures;
      return {
        id: org.id,
        name: org.name,
        kind: org.kind,
        total: totalScore(indicators, weights),
        indicators,
      };
    }),
  );
  const body = {
    period: { ...period, timezone: 'Asia/Shanghai' as const },
    generatedAt: scope.now.toISOString(),
    evaluatedAt: at.toISOString(),
    weights,
    organisations,
  };
  const digest = `sm3:${sm3Hex(canonicalJson(body))}`;
  const { hub, caller } = scope;
  const context = { hubCode: hub.config.hubCode, engine: hub.store.engine, now: scope.now };
  // A transaction even for one entry: the head row's lock must hold until the entry is in.
  await hub.store.db.transaction().execute((trx) =>
    appendAudit(trx, context, [
      {
        type: 'admin',
        action: 'assessment.report',
        actor: { tokenId: caller.tokenId, orgId: caller.orgId, roles: caller.roles },
        object: `assessment:${period.label}`,
        result: 'success',
        detail: {
          period: period.label,
          from: period.from,
          to: period.to,
          kind: query.kind ?? null,
          weights,
          organisations: organisations.length,
          digest,
        },
      },
    ]),
  );
  return { ...body, digest };
}
