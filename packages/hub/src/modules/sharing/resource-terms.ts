/**
 * What an application needs from the catalog: the published version's items, share (or open)
 * type and provider, and the checks of requested items against them.
 */
import type { CatalogResource, Lang } from '@minjiang/standards';
import type { Kysely, Transaction } from 'kysely';
import type { ApplicationShareType } from '../../db/schema-sharing.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { resourceNotFound } from '../catalog/access.js';
import { findResource, findVersion } from '../catalog/repository.js';

type Db = Kysely<Database> | Transaction<Database>;
type Item = NonNullable<CatalogResource['items']>[number];

export interface PublishedResource {
  code: string;
  version: number;
  name: string;
  orgId: string;
  providerUscc: string;
  providerName: string;
  items: Item[];
  sharing: CatalogResource['sharing'];
  opening: CatalogResource['opening'];
}

/**
 * The published version of a resource (404 when unknown, 409 when nothing is published), or the
 * given version: an application keeps to the version it was made against.
 */
export async function publishedResource(
  db: Db,
  lang: Lang,
  code: string,
  at?: number,
): Promise<PublishedResource> {
  const resource = await findResource(db, code);
  if (!resource) throw resourceNotFound(code, lang);
  const number = at ?? resource.published_version;
  if (number === null) throw new HubError('HUB_ERR_NOT_PUBLISHED', { code });
  const version = await findVersion(db, code, number);
  const document = JSON.parse(version?.document ?? '{}') as CatalogResource;
  return {
    code,
    version: number,
    name: document.name,
    orgId: resource.org_id,
    providerUscc: document.provider.uscc,
    providerName: document.provider.name,
    items: document.items ?? [],
    sharing: document.sharing,
    opening: document.opening,
  };
}

const SHARE: Record<string, ApplicationShareType> = {
  无条件共享: 'UNCONDITIONAL',
  有条件共享: 'CONDITIONAL',
  不予共享: 'NONE',
  无条件开放: 'UNCONDITIONAL',
  有条件开放: 'CONDITIONAL',
  不予开放: 'NONE',
};

/** The resource's share type for a sharing application, its open type for an open one. */
export function shareTypeOf(resource: PublishedResource, kind: 'sharing' | 'open'): ApplicationShareType {
  return SHARE[kind === 'open' ? resource.opening.type : resource.sharing.type] ?? 'NONE';
}

/** Items marked 不予共享 (不予开放 for open data) among the requested ones: never granted. */
export function unshareableItems(resource: PublishedResource, kind: 'sharing' | 'open', names: string[]) {
  const barred = kind === 'open' ? '不予开放' : '不予共享';
  const type = (item: Item) => (kind === 'open' ? item.openType : item.shareType);
  return names.filter((name) => resource.items.some((item) => item.name === name && type(item) === barred));
}

/**
 * Requested names resolved to item names (a technical name is accepted for its item), and the
 * ones the resource does not have.
 */
export function resolveItems(resource: PublishedResource, names: string[]) {
  const resolved: string[] = [];
  const unknown: { index: number; name: string }[] = [];
  names.forEach((name, index) => {
    const item = resource.items.find(
      (candidate) => candidate.name === name || candidate.technicalName === name,
    );
    if (item) resolved.push(item.name);
    else unknown.push({ index, name });
  });
  return { resolved: [...new Set(resolved)], unknown };
}

/** Technical names for the grant's `ses:fields`; an item without one is `item_<position>`. */
export function fieldNames(resource: PublishedResource, names: string[]): string[] {
  return names.map((name) => {
    const index = resource.items.findIndex((item) => item.name === name);
    return resource.items[index]?.technicalName ?? `item_${index + 1}`;
  });
}

/** `<item> = <v1>[, <v2>…]`: one item of the resource and the values a row may have there. */
export function parseRowFilter(
  resource: PublishedResource,
  filter: string,
): { item: string; values: string[] } {
  const match = /^\s*([^=]+?)\s*=\s*(.+?)\s*$/.exec(filter);
  const values = match?.[2]?.split(/\s*[,，]\s*/).filter((value) => value !== '') ?? [];
  const item = match?.[1] ? resolveItems(resource, [match[1]]).resolved[0] : undefined;
  if (!item || values.length === 0)
    throw new HubError(
      'HUB_ERR_APPLICATION_INVALID',
      { count: 1 },
      {
        issues: [
          {
            code: 'ROW_FILTER',
            severity: 'error',
            location: '/rowFilter',
            message: `rowFilter "${filter}" is not "<item of ${resource.code}> = <value>[, <value>…]"`,
          },
        ],
      },
    );
  return { item, values };
}
