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
