import type { Lang } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { PUBLIC_STATUSES, resourceNotFound, seesLatest, type Viewer } from './access.js';
import { etagOf } from './entries.js';
import { findResource, findVersion, tokenOrganisations, versionHistory } from './repository.js';

/**
 * One resource as a caller may see it: the latest version for its organisation, admins and
 * auditors, the published one for everyone else; `version` picks an older one (outsiders only
 * get versions that were published). Anything a caller may not see is a 404, so outsiders
 * cannot tell an unpublished resource from a missing one.
 */
export async function readResource(
  db: Kysely<Database>,
  viewer: Viewer,
  code: string,
  lang: Lang,
  version?: number,
) {
  const row = await findResource(db, code);
  if (!row) throw resourceNotFound(code, lang);
  const insider = seesLatest(viewer, row.org_id);
  const wanted = version ?? (insider ? row.latest_version : row.published_version);
  if (wanted === null) throw resourceNotFound(code, lang);
  const found = await findVersion(db, code, wanted);
  if (!found || (!insider && !PUBLIC_STATUSES.includes(found.status)))
    throw resourceNotFound(code, lang, wanted);
  const etag = etagOf(found.version, found.content_hash);
  return {
    etag,
    view: {
      code,
      orgId: row.org_id,
      version: found.version,
      status: found.status,
      contentHash: found.content_hash,
      etag,
      ...(insider ? { latestVersion: row.latest_version } : {}),
      ...(row.published_version !== null ? { publishedVersion: row.published_version } : {}),
      createdAt: found.created_at,
      updatedAt: found.updated_at,
      ...(found.status_at !== null ? { statusAt: found.status_at } : {}),
      ...(found.reason !== null && insider ? { reason: found.reason } : {}),
      document: JSON.parse(found.document) as unknown,
    },
  };
}

/** Every version with who acted (token and organisation) and when, and the reason given. */
export async function readHistory(db: Kysely<Database>, viewer: Viewer, code: string, lang: Lang) {
  const row = await findResource(db, code);
  if (!row) throw resourceNotFound(code, lang);
  const insider = seesLatest(viewer, row.org_id);
  const versions = (await versionHistory(db, code)).filter(
    (version) => insider || PUBLIC_STATUSES.includes(version.status),
  );
  if (versions.length === 0) throw resourceNotFound(code, lang);
  const orgs = await tokenOrganisations(
    db,
    versions.flatMap((v) => [v.created_by, v.updated_by, ...(v.status_by !== null ? [v.status_by] : [])]),
  );
  const actor = (tokenId: string) => ({ tokenId, orgId: orgs.get(tokenId) ?? null });
  return {
    code,
    orgId: row.org_id,
    items: versions.map((v) => ({
      version: v.version,
      status: v.status,
      contentHash: v.content_hash,
      createdAt: v.created_at,
      createdBy: actor(v.created_by),
      updatedAt: v.updated_at,
      updatedBy: actor(v.updated_by),
      ...(v.status_at !== null ? { statusAt: v.status_at } : {}),
      ...(v.status_by !== null ? { statusBy: actor(v.status_by) } : {}),
      ...(v.reason !== null ? { reason: v.reason } : {}),
    })),
  };
}
