import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { generateSm2KeyPair, sm2Sign, sm2Verify, sm3Hex } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** The hub's signing key: receipts and audit checkpoints are signed with it. */
export interface HubKey {
  keyId: string;
  publicKey: string;
  sign(text: string): string;
  verify(text: string, signature: string): boolean;
  /** Encrypts a secret the hub must read back (credential and webhook secrets) for storage. */
  seal(secret: string): string;
  /** Decrypts what `seal` produced; throws when it was not sealed by this key. */
  open(sealed: string): string;
  /** A secret derived for a purpose (e.g. a recipient's pseudonym key): hex HMAC-SM3 under the hub key. */
  derive(label: string): string;
}

/**
 * SM4-CBC with a key derived from the hub's private key: a copy of the secrets' table alone
 * does not reveal them. Format `v1:<iv hex>:<ciphertext hex>`.
 */
function secretBox(privateKey: string): Pick<HubKey, 'seal' | 'open'> {
  const key = Buffer.from(sm3Hex(`minjiang-secret-box:${privateKey}`).slice(0, 32), 'hex');
  return {
    seal(secret) {
      const iv = randomBytes(16);
      const cipher = createCipheriv('sm4-cbc', key, iv);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return `v1:${iv.toString('hex')}:${body.toString('hex')}`;
    },
    open(sealed) {
      const [version, iv, body] = sealed.split(':');
      if (version !== 'v1' || !iv || !body) throw new Error('not a sealed secret of this hub');
      const decipher = createDecipheriv('sm4-cbc', key, Buffer.from(iv, 'hex'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'hex')), decipher.final()]).toString('utf8');
    },
  };
}

function toHubKey(keyId: string, publicKey: string, privateKey: string): HubKey {
  return {
    keyId,
    publicKey,
    sign: (text) => sm2Sign(text, privateKey),
    verify: (text, signature) => sm2Verify(text, signature, publicKey),
    ...secretBox(privateKey),
    derive: (label) => createHmac('sm3', privateKey).update(`minjiang-derive:${label}`).digest('hex'),
  };
}

/**
 * Loads the newest signing key, creating one on first start. The private key stays in the
 * database (the reference hub has no HSM) and is never logged or returned by any route.
 */
export async function loadHubKey(db: Kysely<Database>, hubCode: string, now: () => Date): Promise<HubKey> {
  const existing = await db
    .selectFrom('hub_keys')
    .selectAll()
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (existing) return toHubKey(existing.key_id, existing.public_key, existing.private_key);
  const pair = generateSm2KeyPair();
  const created = now().toISOString();
  const keyId = `${hubCode}#hub-${created.slice(0, 10)}`;
  await db
    .insertInto('hub_keys')
    .values({ key_id: keyId, public_key: pair.publicKey, private_key: pair.privateKey, created_at: created })
    .onConflict((conflict) => conflict.column('key_id').doNothing())
    .execute();
  // Another process may have won the race; whatever is stored now is the key.
  const stored = await db
    .selectFrom('hub_keys')
    .selectAll()
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return toHubKey(stored.key_id, stored.public_key, stored.private_key);
}
