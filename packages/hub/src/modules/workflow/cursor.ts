import { sql, type SelectQueryBuilder } from 'kysely';
import { HubError } from '../../errors.js';

/**
 * Cursors of newest-first lists: the last item's creation time and id, as base64url JSON, so
 * a page starts strictly after it whatever was added since.
 */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

/** The creation time and id in a cursor; 400 for anything this hub did not give out. */
export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string'))
      return value as [string, string];
  } catch {
    // fall through
  }
  throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'cursor is not one this hub gave out' });
}

/**
 * One newest-first page of any select over a table with `created_at` and `id`: the rows after
 * the cursor, in (created_at, id) descending order, viewed, with the next cursor when more remain.
 */
export async function newestFirstPage<
  DB,
  TB extends keyof DB,
  O extends { created_at: string; id: string },
  V,
>(
  select: SelectQueryBuilder<DB, TB, O>,
  query: { limit: number; cursor?: string | undefined },
  view: (row: O) => V,
): Promise<{ items: V[]; next?: string }> {
  let paged = select;
  if (query.cursor !== undefined) {
    const [at, id] = decodeCursor(query.cursor);
    paged = paged.where(sql<boolean>`(created_at < ${at} or (created_at = ${at} and id < ${id}))`);
  }
  const rows = await paged
    .orderBy(sql`created_at`, 'desc')
    .orderBy(sql`id`, 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    ...(rows.length > query.limit && last ? { next: encodeCursor(last.created_at, last.id) } : {}),
  };
}
