import type { Kysely } from 'kysely';
import type { Database, OrganisationTable } from '../../db/schema.js';

/** An organisation as the API shows it. */
export interface OrganisationView {
  id: string;
  name: string;
  shortName?: string;
  kind: OrganisationTable['kind'];
  uscc: string;
  regionCode: string;
  parent?: string;
}

export function toView(row: OrganisationTable): OrganisationView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    uscc: row.uscc,
    regionCode: row.region_code,
    ...(row.short_name ? { shortName: row.short_name } : {}),
    ...(row.parent_id ? { parent: row.parent_id } : {}),
  };
}

export async function findOrganisation(
  db: Kysely<Database>,
  id: string,
): Promise<OrganisationTable | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOrganisations(
  db: Kysely<Database>,
  filter: { kind?: string; parent?: string },
): Promise<OrganisationTable[]> {
  let query = db.selectFrom('organisations').selectAll().orderBy('id');
  if (filter.kind) query = query.where('kind', '=', filter.kind as OrganisationTable['kind']);
  if (filter.parent) query = query.where('parent_id', '=', filter.parent);
  return query.execute();
}

export const organisationViewSchema = {
  type: 'object',
  required: ['id', 'name', 'kind', 'uscc', 'regionCode'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    shortName: { type: 'string' },
    kind: { type: 'string', enum: ['province', 'city', 'department', 'unit'] },
    uscc: { type: 'string' },
    regionCode: { type: 'string' },
    parent: { type: 'string' },
  },
} as const;
