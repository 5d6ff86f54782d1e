/** Paged reads: submissions newest first, stored rows in key order. */
import type { Lang } from '@minjiang/standards';
import type { SubmissionStatus } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { WriteScope } from '../catalog/service.js';
import { chunksOf, viewOf } from './submissions.js';

export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, size: number, lang: Lang): string[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === size && parts.every((p) => typeof p === 'string'))
      return parts;
  } catch {
    // fall through
  }
  throw new HubError('HUB_ERR_BAD_REQUEST', {
    detail: lang === 'en' ? 'the cursor is not one this hub gave' : '分页游标无效',
  });
}

export async function listSubmissions(
  scope: Pick<WriteScope, 'app' | 'caller' | 'lang'>,
  query: { resource?: string; status?: SubmissionStatus; limit: number; cursor?: string },
) {
  const db = scope.app.hub.store.db;
  const privileged = scope.caller.roles.includes('admin') || scope.caller.roles.includes('auditor');
  let select = db.selectFrom('data_submissions').selectAll();
  if (!privileged) select = select.where('org_id', '=', scope.caller.orgId);
  if (query.resource) select = select.where('resource_code', '=', query.resource);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, 2, scope.lang) as [string, string];
    select = select.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const chunks = await chunksOf(
    db,
    page.map((row) => row.id),
  );
  return {
    items: page.map((row) => viewOf(row, chunks.get(row.id) ?? [])),
    ...(rows.length > query.limit && last ? { next: encodeCursor([last.created_at, last.id]) } : {}),
  };
}
