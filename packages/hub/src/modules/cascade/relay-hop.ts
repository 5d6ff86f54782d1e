/**
 * The hop of a relayed exchange call (docs/cascade-relay.md): `SES-Via` lists the hubs a call
 * passed through, and each hub that forwards it signs the hop with its node key in
 * `SES-Hop-Signature-Input` / `SES-Hop-Signature`. The consumer's own signature headers travel
 * unchanged — the grant's hub checks them — and the hop signature covers them, so a hop can
 * neither be replayed with another consumer request nor claimed by a hub the receiver did not pin.
 */
import { randomBytes } from 'node:crypto';
import {
  NONCE_MEMORY_SECONDS,
  parseSignature,
  SIGNATURE_WINDOW_SECONDS,
  sm2Sign,
  sm2Verify,
  type SignatureParams,
} from '@minjiang/standards';
import type { HubContext } from '../../plugins/store.js';
import { SesError } from '../exchange/ses-error.js';
import { nodeSigningKey, purgeNonces } from './node-auth.js';

export const VIA_HEADER = 'ses-via';
export const HOP_INPUT_HEADER = 'ses-hop-signature-input';
export const HOP_SIGNATURE_HEADER = 'ses-hop-signature';
/** A relayed call passes through at most this many hubs before the grant's hub. */
export const MAX_HOPS = 3;

/** What the hop signature covers, in order: the request line and the end-to-end headers. */
const HOP_COMPONENTS = [
  '@method',
  '@path',
  '@query',
  'content-digest',
  'signature-input',
  'signature',
  'ses-grant',
  'ses-request-id',
  'ses-via',
];
const HUB_CODE = /^[1-9][0-9]{5}$/;

/** The request as a hop sees it: the line byte for byte and the headers by lower-case name. */
export interface HopRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | undefined>;
}

/** `SES-Via` as hub codes in hop order; an absent header is no hop. */
export function parseVia(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  const codes = value.split(',').map((code) => code.trim());
  if (!codes.every((code) => HUB_CODE.test(code)))
    throw new SesError('CLI.BAD_REQUEST', 'SES-Via is a comma-separated list of hub codes');
  return codes;
}

/** `Signature-Input`'s inner list and parameters, in the SES order (parseSignature insists on it). */
function paramsValue(params: SignatureParams): string {
  const list = HOP_COMPONENTS.map((component) => `"${component}"`).join(' ');
  return (
    `(${list});created=${params.created};expires=${params.expires}` +
    `;nonce="${params.nonce}";keyid="${params.keyid}";alg="${params.alg}"`
  );
}

function hopBase(request: HopRequest, params: SignatureParams): string {
  const value = (component: string) => {
    if (component === '@method') return request.method.toUpperCase();
    if (component === '@path') return request.path;
    if (component === '@query') return request.query === '' ? '?' : request.query;
    return request.headers[component]?.trim() ?? '';
  };
  const lines = HOP_COMPONENTS.map((component) => `"${component}": ${value(component)}`);
  lines.push(`"@signature-params": ${paramsValue(params)}`);
  return lines.join('\n');
}

/** The hop headers this hub adds to a request whose `ses-via` already names it last. */
export async function signHop(hub: HubContext, request: HopRequest): Promise<Record<string, string>> {
  const key = await nodeSigningKey(hub);
  const created = Math.floor(hub.now().getTime() / 1000);
  const params: SignatureParams = {
    created,
    expires: created + SIGNATURE_WINDOW_SECONDS,
    nonce: randomBytes(16).toString('hex'),
    keyid: key.keyid,
    alg: 'sm2-sm3',
  };
  const signature = Buffer.from(sm2Sign(hopBase(request, params), key.privateKey), 'hex');
  return {
    [HOP_INPUT_HEADER]: `ses=${paramsValue(params)}`,
    [HOP_SIGNATURE_HEADER]: `ses=:${signature.toString('base64')}:`,
  };
}

/**
 * The key this hub pinned for a neighbour that may relay to it: at a city only its parent, at the
 * province only an APPROVED child. Anything else — unknown, pending, revoked — has none.
 */
async function pinnedNeighbour(hub: HubContext, code: string) {
  const { db } = hub.store;
  if (hub.config.role === 'city') {
    if (code !== hub.config.parentCode) return undefined;
    const row = await db
      .selectFrom('cascade_parent')
      .select(['key_id', 'public_key'])
      .where('hub', '=', code)
      .where('state', '=', 'APPROVED')
      .executeTakeFirst();
    return row?.key_id && row.public_key ? { keyId: row.key_id, publicKey: row.public_key } : undefined;
  }
  const row = await db
    .selectFrom('cascade_children')
    .select(['key_id', 'public_key'])
    .where('hub', '=', code)
    .where('state', '=', 'APPROVED')
    .executeTakeFirst();
  return row ? { keyId: row.key_id, publicKey: row.public_key } : undefined;
}

function timeProblem(params: SignatureParams, now: Date): string | undefined {
  const seconds = Math.floor(now.getTime() / 1000);
  const lifetime = params.expires - params.created;
  if (Math.abs(seconds - params.created) > SIGNATURE_WINDOW_SECONDS || seconds > params.expires)
    return 'the hop signature is outside ±300 s of this hub’s time';
  if (lifetime <= 0 || lifetime > SIGNATURE_WINDOW_SECONDS) return 'expires − created is not 1–300 s';
  return undefined;
}

/** Records the hop's nonce (with the hub-to-hub nonces); false when it was already used. */
async function freshNonce(hub: HubContext, params: SignatureParams, now: Date): Promise<boolean> {
  await purgeNonces(hub, now);
  const inserted = await hub.store.db
    .insertInto('cascade_nonces')
    .values({
      keyid: params.keyid,
      nonce: params.nonce,
      expires_at: new Date(now.getTime() + NONCE_MEMORY_SECONDS * 1000).toISOString(),
    })
    .onConflict((conflict) => conflict.columns(['keyid', 'nonce']).doNothing())
    .returning('nonce')
    .execute();
  return inserted.length === 1;
}

/**
 * Checks the hop that brought a relayed call: the last hub in `via` must be a neighbour this hub
 * pinned, and its hop signature valid, fresh and not replayed. Throws HUB.ROUTE_REFUSED.
 */
export async function verifyHop(hub: HubContext, request: HopRequest, via: string[]): Promise<string> {
  const sender = via[via.length - 1] ?? '';
  const refuse = (why: string) => new SesError('HUB.ROUTE_REFUSED', `${sender || '-'}: ${why}`);
  const parsed = parseSignature({
    'signature-input': request.headers[HOP_INPUT_HEADER],
    signature: request.headers[HOP_SIGNATURE_HEADER],
  });
  if (!parsed.ok) throw refuse(`no valid hop signature (${parsed.detail})`);
  const pinned = await pinnedNeighbour(hub, sender);
  if (!pinned) throw refuse('not a pinned parent or an approved child of this hub');
  const { params, components, signature } = parsed;
  if (components.join(' ') !== HOP_COMPONENTS.join(' ')) throw refuse('the hop component list differs');
  if (params.alg !== 'sm2-sm3' || params.keyid !== pinned.keyId)
    throw refuse(`the hop is not signed by the pinned key ${pinned.keyId}`);
  const now = hub.now();
  const late = timeProblem(params, now);
  if (late) throw refuse(late);
  const base = hopBase(request, params);
  if (!sm2Verify(base, Buffer.from(signature).toString('hex'), pinned.publicKey))
    throw refuse('the hop signature does not verify');
  if (!(await freshNonce(hub, params, now))) throw refuse('the hop nonce was already used');
  return sender;
}
