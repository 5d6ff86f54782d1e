import { generateSm2KeyPair, openDsse } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceCode } from '../../../test-utils/catalog.js';
import { ENGINES, type TestHub } from '../../../test-utils/hub.js';
import {
  APPLICANT,
  apply,
  CITY_A,
  CITY_B,
  routingHubs,
  type RoutingHubs,
} from '../../../test-utils/routing.js';
import { signedNodeFetch } from './node-auth.js';

const N = 41;
const YEAR = new Date().getUTCFullYear();

describe.each(ENGINES)('cascade routing of applications on %s', (engine) => {
  let hubs: RoutingHubs;
  let province: TestHub;
  let cityA: TestHub;
  let cityB: TestHub;
  let provinceUrl = '';
  let applicant: string;
  let routedId: string;
  const code = resourceCode(N);
  const settle = () => hubs.settle();
  const readAtA = async (id = routedId) => {
    const answer = await cityA.call(applicant, {
      method: 'GET',
      url: `/api/v1/applications/${encodeURIComponent(id)}`,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<
      Record<string, unknown> & { state: string; grant?: string; routed: Record<string, unknown> }
    >();
  };
  const audits = async (hub: TestHub, action: string) =>
    hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select(['object'])
      .where('action', '=', `app.${action}`)
      .execute();

  beforeAll(async () => {
    hubs = await routingHubs(engine, N);
    ({ province, cityA, cityB, provinceUrl, applicant } = hubs);
  });
  afterAll(async () => hubs?.close());

  it('routes an application made at city A to city B through the province; B files it for its provider', async () => {
    const answer = await cityA.call(applicant, {
      method: 'POST',
      url: '/api/v1/applications',
      payload: apply(code),
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const routed = answer.json<{
      id: string;
      state: string;
      routed: { owner: string; via: string[]; status: string };
    }>();
    routedId = routed.id;
    expect(routed.id).toMatch(new RegExp(`^urn:ses:app:${CITY_A}:`));
    expect(routed.state).toBe('PRECHECK');
    expect(routed.routed).toMatchObject({ owner: CITY_B, via: [CITY_A, '350000', CITY_B], status: 'owner' });
    const atB = await cityB.call(cityB.tokens.admin, { method: 'GET', url: '/api/v1/applications' });
    const items = atB.json<{ items: { id: string; applicant: string; state: string }[] }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ applicant: `${CITY_A}/GOV/${APPLICANT.uscc}`, state: 'PRECHECK' });
    expect(items[0]!.id).toMatch(new RegExp(`^urn:ses:app:${CITY_B}:`));
    expect(await audits(cityA, 'cascade.application.forwarded')).toHaveLength(1);
    expect(await audits(province, 'cascade.application.received')).toHaveLength(1);
    expect(await audits(province, 'cascade.application.forwarded')).toHaveLength(1);
    expect(await audits(cityB, 'cascade.application.received')).toHaveLength(1);
    const listed = await cityA.call(applicant, { method: 'GET', url: '/api/v1/applications' });
    expect(listed.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toEqual([routedId]);
  });

  it("mirrors B's approval at A with the grant B signed; events wait while the province is unreachable", async () => {
    await settle();
    expect((await readAtA()).history).toHaveLength(3);
    hubs.proxy.up.on = false;
    const [remote] = await cityB.app.hub.store.db
      .selectFrom('cascade_remote_applications')
      .selectAll()
      .execute();
    const approve = await cityB.call(cityB.tokens.admin, {
      method: 'POST',
      url: `/api/v1/applications/${encodeURIComponent(remote!.application_id)}/approve`,
      payload: { messageId: 'b-approve' },
    });
    expect(approve.json<{ state: string }>().state).toBe('PROVIDER_REVIEW');
    const review = await cityB.call(cityB.tokens.reviewer, {
      method: 'POST',
      url: `/api/v1/applications/${encodeURIComponent(remote!.application_id)}/approve`,
      payload: { messageId: 'b-review' },
    });
    expect(review.json<{ state: string }>().state).toBe('APPROVED');
    await settle();
    expect((await readAtA()).state).toBe('PRECHECK');
    const waiting = await cityB.app.hub.store.db
      .selectFrom('cascade_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .execute();
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.some((row) => row.attempts > 0)).toBe(true);
    hubs.proxy.up.on = true;
    await cityB.app.hub.store.db
      .updateTable('cascade_outbox')
      .set({ next_attempt_at: new Date(0).toISOString() })
      .execute();
    await settle();
    await settle();
    const view = await readAtA();
    expect(view.state).toBe('APPROVED');
    expect(view.grant).toMatch(new RegExp(`^urn:ses:grant:${CITY_B}:`));
    const grant = await cityA.call(applicant, {
      method: 'GET',
      url: `/api/v1/grants/${encodeURIComponent(view.grant!)}`,
    });
    expect(grant.statusCode, grant.body).toBe(200);
    const envelope = grant.json<{
      envelope: unknown;
      status: string;
      signer: { hub: string; publicKey: string };
    }>();
    expect(envelope.status).toBe('active');
    // The province vouches for the key that signed B's grant: the one it pinned at B's approval.
    expect(envelope.signer).toMatchObject({ hub: CITY_B, publicKey: cityB.publicKey });
    const document = openDsse(envelope.envelope, cityB.publicKey) as { uid: string; assigner: string };
    expect(document.uid).toBe(view.grant);
    expect(document.assigner).toMatch(/^350200\//);
    // Each event of B reached A exactly once, whatever was retried.
    const events = await audits(cityA, 'cascade.application.event');
    const inbox = await cityA.app.hub.store.db
      .selectFrom('cascade_inbox')
      .select('message_id')
      .where('kind', '=', 'event')
      .execute();
    expect(events).toHaveLength(inbox.length);
    expect(new Set(inbox.map((row) => row.message_id)).size).toBe(inbox.length);
  });

  it('takes only an SM2 key for the routed grant, stored at B under the same app key; revocation follows', async () => {
    const { grant } = await readAtA();
    const url = `/api/v1/grants/${encodeURIComponent(grant!)}/credentials`;
    const hmac = await cityA.call(applicant, { method: 'POST', url, payload: {} });
    expect(hmac.statusCode).toBe(422);
    expect(hmac.json<{ code: string }>().code).toBe('HUB_ERR_CASCADE_ROUTED_HMAC');
    const { publicKey } = generateSm2KeyPair();
    const issued = await cityA.call(applicant, { method: 'POST', url, payload: { publicKey } });
    expect(issued.statusCode, issued.body).toBe(201);
    const { appKey } = issued.json<{ appKey: string; alg: string }>();
    const atB = await cityB.app.hub.store.db
      .selectFrom('grant_credentials')
      .selectAll()
      .where('app_key', '=', appKey)
      .executeTakeFirst();
    expect(atB).toMatchObject({
      grant_id: grant,
      status: 'active',
      secret_enc: `sm2:${publicKey.toLowerCase()}`,
    });
    await settle();
    expect((await readAtA()).state).toBe('ACTIVE');
    const revoked = await cityA.call(applicant, { method: 'DELETE', url: `${url}/${appKey}` });
    expect(revoked.json<{ status: string }>().status).toBe('revoked');
    const after = await cityB.app.hub.store.db
      .selectFrom('grant_credentials')
      .select('status')
      .where('app_key', '=', appKey)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('revoked');
  });

  it("forwards the applicant's accept of B's offer; B applies it as the applicant's and A sees the grant", async () => {
    const made = await cityA.call(applicant, {
      method: 'POST',
      url: '/api/v1/applications',
      payload: apply(code),
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json<{ id: string }>().id;
    const remote = await cityB.app.hub.store.db
      .selectFrom('cascade_remote_applications')
      .select('application_id')
      .where('origin_id', '=', id)
      .executeTakeFirstOrThrow();
    const atB = `/api/v1/applications/${encodeURIComponent(remote.application_id)}`;
    await cityB.call(cityB.tokens.admin, { method: 'POST', url: `${atB}/approve`, payload: {} });
    const offer = await cityB.call(cityB.tokens.reviewer, {
      method: 'POST',
      url: `${atB}/offer`,
      payload: {
        items: ['姓名'],
        masking: 'MP-STD-01',
        quota: { perDay: 100 },
        period: { from: `${YEAR + 1}-01-01`, to: `${YEAR + 1}-06-30` },
        mode: 'API',
      },
    });
    expect(offer.statusCode, offer.body).toBe(200);
    await settle();
    const offered = await readAtA(id);
    expect(offered.state).toBe('OFFERED');
    const { id: offerId, digest } = offered.offer as { id: string; digest: string };
    const accepted = await cityA.call(applicant, {
      method: 'POST',
      url: `/api/v1/applications/${encodeURIComponent(id)}/accept`,
      payload: { messageId: 'a-accept-1', offerId, offerDigest: digest },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<{ state: string }>().state).toBe('APPROVED');
    const again = await cityA.call(applicant, {
      method: 'POST',
      url: `/api/v1/applications/${encodeURIComponent(id)}/accept`,
      payload: { messageId: 'a-accept-1', offerId, offerDigest: digest },
    });
    expect(again.json<{ state: string }>().state).toBe('APPROVED');
    await settle();
    const view = await readAtA(id);
    const grant = await cityA.call(applicant, {
      method: 'GET',
      url: `/api/v1/grants/${encodeURIComponent(view.grant!)}`,
    });
    expect(grant.json<{ items: string[] }>().items).toEqual(['姓名']);
    const history = await cityB.call(cityB.tokens.admin, { method: 'GET', url: atB });
    expect(
      history.json<{ history: { action: string }[] }>().history.filter((h) => h.action === 'accept'),
    ).toHaveLength(1);
    // The applicant organisation is registered at B for routed applications only: no tokens there.
    const token = await cityB.call(cityB.tokens.admin, {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { orgId: `${CITY_A}/GOV/${APPLICANT.uscc}`, name: 'x', roles: ['officer'] },
    });
    expect(token.json<{ code: string }>().code).toBe('HUB_ERR_CASCADE_REMOTE_ORG');
  });

  it('refuses a loop (508 HUB.ROUTE_LOOP), token callers (403), unsigned calls (401) and an unknown code (404)', async () => {
    const body = {
      messageId: 'loop-1',
      originId: `urn:ses:app:${CITY_A}:2026:999`,
      request: apply(code),
      applicant: { id: `${CITY_A}/GOV/${APPLICANT.uscc}`, ...APPLICANT, hub: CITY_A },
      via: [CITY_A, '350000', CITY_A],
    };
    const loop = await signedNodeFetch(cityA.app.hub, `${provinceUrl}/api/v1/cascade/applications`, {
      method: 'POST',
      body,
    });
    expect(loop.status).toBe(508);
    expect((loop.body as { code: string }).code).toBe('HUB.ROUTE_LOOP');
    // A child passes on nothing another hub made: only the province relays.
    const forged = {
      ...body,
      messageId: 'forged-1',
      originId: `urn:ses:app:${CITY_B}:2026:998`,
      via: [CITY_B, CITY_A],
    };
    forged.applicant = { ...body.applicant, hub: CITY_B };
    const relayed = await signedNodeFetch(cityA.app.hub, `${provinceUrl}/api/v1/cascade/applications`, {
      method: 'POST',
      body: forged,
    });
    expect(relayed.status).toBe(403);
    const token = await province.call(province.tokens.admin, {
      method: 'POST',
      url: '/api/v1/cascade/applications',
      payload: body,
    });
    expect(token.statusCode).toBe(403);
    const unsigned = await province.call(null, {
      method: 'POST',
      url: '/api/v1/cascade/applications',
      payload: body,
    });
    expect(unsigned.statusCode).toBe(401);
    const unknown = await cityA.call(applicant, {
      method: 'POST',
      url: '/api/v1/applications',
      payload: apply(resourceCode(99)),
    });
    expect(unknown.statusCode, unknown.body).toBe(404);
    // Another organisation of A does not see the routed application.
    const other = await cityA.call(cityA.tokens.officer, {
      method: 'GET',
      url: `/api/v1/applications/${encodeURIComponent(routedId)}`,
    });
    expect(other.statusCode).toBe(404);
  });
});
