/**
 * The cascade relay of data calls (docs/cascade-relay.md, issue 8 "Routing"): a call under a
 * grant another hub issued — the issuing hub's code is in the grant id — is not served here but
 * relayed, a city to its pinned parent, the province to the APPROVED child that issued the grant.
 * A call relayed to this hub is accepted only from a neighbour it pinned (deny by default), and
 * refused when its `SES-Via` names this hub or holds more than three hubs. The grant's hub then
 * serves it like any call: the consumer's signature, the grant, masking, quotas and its own leaf.
 */
import {
  parseSignature,
  requestTarget,
  signatureBase,
  sm3Digest,
  type SesComponent,
} from '@minjiang/standards';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestLang } from '../../plugins/errors.js';
import type { HubContext } from '../../plugins/store.js';
import { requestParts } from '../exchange/authenticate.js';
import { SesError, sendRefusal } from '../exchange/ses-error.js';
import { ERROR_HOP_HEADER, HopRefusal, relayCall, type RelayTarget } from './relay-forward.js';
import {
  HOP_INPUT_HEADER,
  HOP_SIGNATURE_HEADER,
  MAX_HOPS,
  parseVia,
  verifyHop,
  VIA_HEADER,
  type HopRequest,
} from './relay-hop.js';

const GRANT_HUB = /^urn:ses:grant:([0-9]{6}):/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MEMBER = /^[0-9]{6}\/(GOV|PUB|ENT)\/[0-9A-HJ-NPQRTUWXY]{18}(\/[A-Za-z0-9._-]{1,64})?$/;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const USER = /^hmac-sm3:[A-Za-z0-9+/]{4,88}={0,2}$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function hopRequest(request: FastifyRequest): HopRequest {
  const { path, query } = requestTarget(request.url);
  const headers = requestParts(request, undefined).headers;
  for (const name of [VIA_HEADER, HOP_INPUT_HEADER, HOP_SIGNATURE_HEADER, 'accept', 'accept-language'])
    headers[name] = header(request, name);
  return { method: request.method, path, query, headers };
}

/** The next hub towards the grant's hub: a city's parent, or the province's approved child. */
async function nextHop(hub: HubContext, grantHub: string): Promise<{ next: string; baseUrl: string }> {
  const { role, parentCode, parentUrl } = hub.config;
  if (role === 'city') {
    if (!parentCode || !parentUrl) throw new SesError('HUB.ROUTE_REFUSED', 'this hub has no parent');
    return { next: parentCode, baseUrl: parentUrl };
  }
  const child = await hub.store.db
    .selectFrom('cascade_children')
    .select('base_url')
    .where('hub', '=', grantHub)
    .where('state', '=', 'APPROVED')
    .executeTakeFirst();
  if (!child) throw new SesError('HUB.ROUTE_REFUSED', `no approved child hub ${grantHub}`);
  return { next: grantHub, baseUrl: child.base_url };
}

/** The hop's leaf members (audit/leaf-1.0 api.relay), from headers checked to fit them. */
function leafOf(request: FastifyRequest, body: Buffer | undefined, via: string[]): RelayTarget['leaf'] {
  const parts = requestParts(request, body);
  const { headers } = parts;
  const parsed = parseSignature(headers);
  if (!parsed.ok) throw new SesError(parsed.code, parsed.detail);
  const [client, grant, id, purpose] = ['ses-client', 'ses-grant', 'ses-request-id', 'ses-purpose'].map(
    (name) => headers[name] ?? '',
  ) as [string, string, string, string];
  if (!MEMBER.test(client)) throw new SesError('CLI.BAD_REQUEST', 'SES-Client must be a member id');
  if (!UUID_V7.test(id)) throw new SesError('CLI.BAD_REQUEST', 'SES-Request-Id must be a lower-case UUIDv7');
  if (!IDENTIFIER.test(purpose)) throw new SesError('CLI.BAD_REQUEST', 'SES-Purpose must be a code');
  const components = parsed.components as SesComponent[];
  const { user, issue } = { user: headers['ses-user'] ?? '', issue: headers['ses-issue'] ?? '' };
  return {
    client,
    grant,
    purpose,
    ...(IDENTIFIER.test(issue) ? { issue } : {}),
    ...(USER.test(user) ? { user } : {}),
    via,
    req: {
      id,
      sigHash: sm3Digest(signatureBase(parts, parsed.params, components)),
      ...(parts.body ? { bodyHash: sm3Digest(parts.body) } : {}),
    },
  };
}

/** The hubs before this one, with the hop that brought the call checked. */
async function arrivedVia(hub: HubContext, request: FastifyRequest, hop: HopRequest): Promise<string[]> {
  const via = parseVia(header(request, VIA_HEADER));
  if (via.length === 0) throw new SesError('HUB.ROUTE_REFUSED', 'a hop signature without SES-Via');
  if (via.includes(hub.config.hubCode) || via.length > MAX_HOPS)
    throw new SesError('HUB.ROUTE_LOOP', `SES-Via ${via.join(',')}`);
  await verifyHop(hub, hop, via);
  return via;
}

async function route(hub: HubContext, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const relayed = [VIA_HEADER, HOP_INPUT_HEADER, HOP_SIGNATURE_HEADER].some(
    (name) => header(request, name) !== undefined,
  );
  const grantHub = GRANT_HUB.exec(header(request, 'ses-grant') ?? '')?.[1];
  const foreign = grantHub !== undefined && grantHub !== hub.config.hubCode;
  // The common case — a direct call under this hub's grant — costs two header reads.
  if (!relayed && !foreign) return false;
  const hop = hopRequest(request);
  const via = relayed ? await arrivedVia(hub, request, hop) : [];
  if (via.length > 0) reply.header(VIA_HEADER, via.join(','));
  if (!foreign) return false;
  const { next, baseUrl } = await nextHop(hub, grantHub);
  if (via.includes(next) || via.length + 1 > MAX_HOPS)
    throw new SesError('HUB.ROUTE_LOOP', `${[...via, hub.config.hubCode].join(',')} → ${next}`);
  const body = Buffer.isBuffer(request.body) ? request.body : undefined;
  const leaf = leafOf(request, body, via);
  await relayCall(hub, { next, baseUrl, via, request: hop, body, leaf }, reply);
  return true;
}

/**
 * The exchange routes' first step: relays a call under another hub's grant and answers true, or
 * checks the hop of a call relayed here and answers false (the routes serve it). Its refusals
 * are sent here, with `SES-Error-Hop` naming this hub when the call came through the cascade.
 */
export async function relayExchangeCall(
  hub: HubContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  try {
    return await route(hub, request, reply);
  } catch (error) {
    const refusal = error instanceof SesError ? error : new SesError('HUB.INTERNAL');
    if (!(error instanceof SesError)) request.log.error({ err: error }, 'exchange relay failed');
    const id = header(request, 'ses-request-id')?.slice(0, 64) ?? '';
    if (!reply.hasHeader(ERROR_HOP_HEADER))
      reply.header(ERROR_HOP_HEADER, refusal instanceof HopRefusal ? refusal.hop : hub.config.hubCode);
    await sendRefusal(reply, id, refusal, requestLang(request));
    return true;
  }
}
