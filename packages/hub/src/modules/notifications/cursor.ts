import { HubError } from '../../errors.js';

/** Cursor of the webhook lists: the last item's creation time and id, base64url JSON (newest first). */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string'))
      return value as [string, string];
  } catch {
    // fall through: any malformed cursor is the same client mistake
  }
  throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'cursor is not one this hub gave out' });
}
