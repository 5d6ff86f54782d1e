import { sql, type Kysely } from 'kysely';
import type { CatalogResource } from '@minjiang/standards';
import type { Database } from '../../db/schema.js';

/** Which published resources a grading run covers: an organisation, a code prefix, or all. */
export interface ResourceFilter {
  org?: string | undefined;
  codePrefix?: string | undefined;
}

/** A published resource version, as grading reads it. */
export interface PublishedResource {
  code: string;
  orgId: string;
  version: number;
  contentHash: string;
  document: CatalogResource;
}

/** `prefix%` for LIKE, with the pattern characters of the prefix taken literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The published version of every resource the filter covers, in code order. */
export async function publishedResources(
  db: Kysely<Database>,
  filter: ResourceFilter,
): Promise<PublishedResource[]> {
  let query = db
    .selectFrom('catalog_resources as r')
    .innerJoin('catalog_versions as v', (join) =>
      join.onRef('v.code', '=', 'r.code').onRef('v.version', '=', 'r.published_version'),
    )
    .select(['r.code', 'r.org_id', 'v.version', 'v.content_hash', 'v.document'])
    .orderBy('r.code');
  if (filter.org !== undefined) query = query.where('r.org_id', '=', filter.org);
  if (filter.codePrefix !== undefined)
    query = query.where(sql<boolean>`r.code like ${likePrefix(filter.codePrefix)} escape '\\'`);
  const rows = await query.execute();
  return rows.map((row) => ({
    code: row.code,
    orgId: row.org_id,
    version: row.version,
    contentHash: row.content_hash,
    document: JSON.parse(row.document) as CatalogResource,
  }));
}

/** Up to `limit` most recently stored rows of a resource, as item name → values. */
export async function sampleValues(
  db: Kysely<Database>,
  code: string,
  limit: number,
): Promise<{ rows: number; values: Record<string, unknown[]> }> {
  if (limit === 0) return { rows: 0, values: {} };
  const rows = await db
    .selectFrom('data_rows')
    .select('row')
    .where('resource_code', '=', code)
    .orderBy('updated_at', 'desc')
    .orderBy('row_key')
    .limit(limit)
    .execute();
  const values: Record<string, unknown[]> = {};
  for (const { row } of rows) {
    for (const [item, value] of Object.entries(JSON.parse(row) as Record<string, unknown>))
      (values[item] ??= []).push(value);
  }
  return { rows: rows.length, values };
}
