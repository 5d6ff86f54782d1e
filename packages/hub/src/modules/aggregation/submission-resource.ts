import type { CatalogResource, DataResource } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findVersion } from '../catalog/repository.js';

export type ItemsResource = Partial<Pick<CatalogResource, 'name' | 'items'>>;

/**
 * The resource a submission's rows are checked against: all its items, or for a delete list
 * only the key items (a delete names rows; it does not carry their other values).
 */
export function submissionResource(
  resource: ItemsResource & { code: string },
  mode: 'full' | 'incremental' | 'delete',
): DataResource {
  const items = resource.items ?? [];
  return {
    code: resource.code,
    name: resource.name ?? resource.code,
    items: mode === 'delete' ? items.filter((item) => item.isKey) : items,
  };
}

/** The published version's items a submission is checked against. */
export async function publishedResource(db: Kysely<Database>, code: string, version: number) {
  const found = await findVersion(db, code, version);
  const document = JSON.parse(found?.document ?? '{}') as ItemsResource;
  return { code, name: document.name ?? code, items: document.items ?? [] };
}
