import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sm3Hex } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isRole, type Role } from '../../roles.js';

/** Who is calling: resolved from a token on every request. */
export interface Caller {
  tokenId: string;
  orgId: string;
  roles: Role[];
}

// mj_<16 hex id>_<43 base64url secret>: the id finds the row, the secret is checked by hash.
const TOKEN_SHAPE = /^mj_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  id: string;
  /** The whole token. It is shown once and never stored. */
  token: string;
}

/** Creates a token for an organisation with roles; only the SM3 of its secret is kept. */
export async function issueToken(
  db: Kysely<Database>,
  input: { orgId: string; name: string; roles: Role[]; expiresAt?: string | null },
  now: Date,
): Promise<IssuedToken> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db
    .insertInto('api_tokens')
    .values({
      id,
      org_id: input.orgId,
      name: input.name,
      roles: JSON.stringify(input.roles),
      secret_hash: sm3Hex(secret),
      created_at: now.toISOString(),
      expires_at: input.expiresAt ?? null,
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
  return { id, token: `mj_${id}_${secret}` };
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Resolves an `Authorization` header to a caller, or null when it is missing or not valid now. */
export async function authenticate(
  db: Kysely<Database>,
  header: string | undefined,
  now: Date,
): Promise<Caller | null> {
  const match = header?.startsWith('Bearer ') ? TOKEN_SHAPE.exec(header.slice(7).trim()) : null;
  if (!match) return null;
  const [, id = '', secret = ''] = match;
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !sameHash(row.secret_hash, sm3Hex(secret))) return null;
  if (row.revoked_at !== null) return null;
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) return null;
  const roles = (JSON.parse(row.roles) as unknown[]).filter(isRole);
  return { tokenId: row.id, orgId: row.org_id, roles };
}
