import { sql, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { CatalogStatus, Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { etagOf } from './entries.js';
import type { Viewer } from './access.js';
import { planSearch, type SearchPlan } from './search.js';

/** Filters and paging of `GET /catalog/resources`. */
export interface ListQuery {
  org?: string;
  status?: CatalogStatus;
  shareType?: string;
  openType?: string;
  grading?: string;
  updateCycle?: string;
  q?: string;
  cursor?: string;
  limit: number;
  document?: boolean;
}

/** The cursor is the last code of a page, base64url-encoded: opaque to clients, stable across writes. */
export function encodeCursor(code: string): string {
  return Buffer.from(code, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9]{6}[0-9A-Z]*\/[0-9]+$/.test(code) || encodeCursor(code) !== cursor) {
    throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'cursor is not one this hub gave out' });
  }
  return code;
}

type Eb = ExpressionBuilder<
  Database & { r: Database['catalog_resources']; v: Database['catalog_versions'] },
  'r' | 'v'
>;

/**
 * Which resources a query covers and which of their versions it shows. A caller sees the latest
 * version of its own organisation's resources and the published version of everyone else's
 * (admins and auditors: the latest of all). Each scope is a plain equality join, which both
 * planners can walk in code order and stop after one page; a single query with a CASE in the
 * join would make PostgreSQL read and sort every match.
 */
type Scope = { kind: 'all' } | { kind: 'own'; orgId: string } | { kind: 'others'; orgId: string };

function scopesOf(viewer: Viewer, org: string | undefined): Scope[] {
  if (viewer.privileged) return [{ kind: 'all' }];
  const own: Scope = { kind: 'own', orgId: viewer.orgId };
  const others: Scope = { kind: 'others', orgId: viewer.orgId };
  if (org !== undefined) return [org === viewer.orgId ? own : others];
  return [own, others];
}

function visibleVersion(eb: Eb, scope: Scope) {
  switch (scope.kind) {
    case 'all':
      return eb('v.version', '=', eb.ref('r.latest_version'));
    case 'own':
      return eb.and([eb('v.version', '=', eb.ref('r.latest_version')), eb('r.org_id', '=', scope.orgId)]);
    case 'others':
      return eb.and([eb('v.version', '=', eb.ref('r.published_version')), eb('r.org_id', '<>', scope.orgId)]);
  }
}

/** Substring confirmation of a token in the visible version's search text. */
function contains(engine: Engine, token: string) {
  return engine === 'postgres'
    ? sql<SqlBool>`strpos(v.search_text, ${token}) > 0`
    : sql<SqlBool>`instr(v.search_text, ${token}) > 0`;
}

function baseQuery(db: Kysely<Database>, scope: Scope, plan: SearchPlan | null) {
  let query = db
    .selectFrom('catalog_resources as r')
    .innerJoin('catalog_versions as v', (join) =>
      join.onRef('v.code', '=', 'r.code').on((eb) => visibleVersion(eb, scope)),
    );
  if (plan) {
    // The rarest term's postings, in code order, drive the query (planSearch puts it first);
    // every other term is an index probe on (term, code) for each candidate.
    const [driver, ...others] = plan.terms as [string, ...string[]];
    query = query.innerJoin('catalog_terms as t', (join) =>
      join.onRef('t.code', '=', 'r.code').on('t.term', '=', driver),
    );
    for (const term of others) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('catalog_terms as x')
            .select('x.code')
            .where('x.term', '=', term)
            .where('x.code', '=', sql.ref<string>('t.code')),
        ),
      );
    }
  }
  return query;
}

/** How many postings a term has, counted up to a bound: enough to tell a rare term from a common one. */
const PROBE_LIMIT = 2000;

async function rarestFirst(db: Kysely<Database>, plan: SearchPlan): Promise<SearchPlan> {
  if (plan.terms.length < 2) return plan;
  const counts = await Promise.all(
    plan.terms.map(async (term) => {
      const probe = db.selectFrom('catalog_terms').select('code').where('term', '=', term).limit(PROBE_LIMIT);
      const row = await db
        .selectFrom(probe.as('p'))
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirst();
      return { term, n: Number(row?.n ?? 0) };
    }),
  );
  counts.sort((a, b) => a.n - b.n);
  return { ...plan, terms: counts.map((count) => count.term) };
}

function scopeQuery(
  db: Kysely<Database>,
  engine: Engine,
  scope: Scope,
  plan: SearchPlan | null,
  filter: ListQuery,
) {
  // The driving term's postings (primary key term, code) are already in code order: ordering and
  // paging by their code lets both engines stop after one page instead of sorting every match.
  const order = sql.ref<string>(plan ? 't.code' : 'r.code');
  let query = baseQuery(db, scope, plan)
    .select([
      'r.code',
      'r.org_id',
      'v.version',
      'v.status',
      'v.content_hash',
      'v.name',
      'v.share_type',
      'v.open_type',
      'v.grading',
      'v.update_cycle',
      'v.updated_at',
    ])
    .$if(filter.document === true, (q) => q.select('v.document'))
    .orderBy(order)
    .limit(filter.limit + 1);
  if (filter.org !== undefined) query = query.where('r.org_id', '=', filter.org);
  if (filter.status !== undefined) query = query.where('v.status', '=', filter.status);
  if (filter.shareType !== undefined) query = query.where('v.share_type', '=', filter.shareType);
  if (filter.openType !== undefined) query = query.where('v.open_type', '=', filter.openType);
  if (filter.grading !== undefined) query = query.where('v.grading', '=', filter.grading);
  if (filter.updateCycle !== undefined) query = query.where('v.update_cycle', '=', filter.updateCycle);
  if (filter.cursor !== undefined) query = query.where(order, '>', decodeCursor(filter.cursor));
  for (const token of plan?.tokens ?? []) query = query.where(contains(engine, token));
  return query;
}

/**
 * One page of resources the caller may see, with the cursor of the next page (null at the end):
 * each scope's page is read in code order and the pages are merged.
 */
export async function listResources(db: Kysely<Database>, engine: Engine, viewer: Viewer, filter: ListQuery) {
  const planned = filter.q === undefined ? null : planSearch(filter.q);
  if (filter.q !== undefined && planned === null) return { rows: [], next: null };
  const plan = planned ? await rarestFirst(db, planned) : null;
  const pages = await Promise.all(
    scopesOf(viewer, filter.org).map((scope) => scopeQuery(db, engine, scope, plan, filter).execute()),
  );
  const rows = pages.flat().sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: more && last ? encodeCursor(last.code) : null };
}

type ListRow = Awaited<ReturnType<typeof listResources>>['rows'][number];

/** A list row as the API shows it; the document only when it was asked for. */
export function toListItem(row: ListRow) {
  return {
    code: row.code,
    orgId: row.org_id,
    name: row.name,
    version: row.version,
    status: row.status,
    contentHash: row.content_hash,
    etag: etagOf(row.version, row.content_hash),
    shareType: row.share_type,
    openType: row.open_type,
    grading: row.grading,
    updateCycle: row.update_cycle,
    updatedAt: row.updated_at,
    ...('document' in row && typeof row.document === 'string'
      ? { document: JSON.parse(row.document) as unknown }
      : {}),
  };
}
