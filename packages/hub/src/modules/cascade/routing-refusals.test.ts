import { generateSm2KeyPair } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceCode } from '../../../test-utils/catalog.js';
import { ENGINES } from '../../../test-utils/hub.js';
import { apply, CITY_B, routingHubs, type RoutingHubs } from '../../../test-utils/routing.js';

const N = 43;

/** A credential queued at the province while B was down, and refused by B when it came back. */
describe.each(ENGINES)('cascade routing: a step the owner refuses after it was queued, on %s', (engine) => {
  let hubs: RoutingHubs;
  let routedId: string;
  let grant: string;
  const pointProvinceAtB = (baseUrl: string) =>
    hubs.province.app.hub.store.db
      .updateTable('cascade_children')
      .set({ base_url: baseUrl })
      .where('hub', '=', CITY_B)
      .execute();

  beforeAll(async () => {
    hubs = await routingHubs(engine, N);
    const { cityA, cityB, applicant } = hubs;
    const made = await cityA.call(applicant, {
      method: 'POST',
      url: '/api/v1/applications',
      payload: apply(resourceCode(N)),
    });
    routedId = made.json<{ id: string }>().id;
    const [remote] = await cityB.app.hub.store.db
      .selectFrom('cascade_remote_applications')
      .selectAll()
      .execute();
    const url = `/api/v1/applications/${encodeURIComponent(remote!.application_id)}/approve`;
    await cityB.call(cityB.tokens.admin, { method: 'POST', url, payload: {} });
    await cityB.call(cityB.tokens.reviewer, { method: 'POST', url, payload: {} });
    await hubs.settle();
    const view = await cityA.call(applicant, {
      method: 'GET',
      url: `/api/v1/applications/${encodeURIComponent(routedId)}`,
    });
    grant = view.json<{ grant: string }>().grant;
  });
  afterAll(async () => hubs?.close());

  it('revokes at A the credential B refused once it was reachable again', async () => {
    const { province, cityA, cityB, applicant } = hubs;
    const cityBUrl = (
      await province.app.hub.store.db
        .selectFrom('cascade_children')
        .select('base_url')
        .where('hub', '=', CITY_B)
        .executeTakeFirstOrThrow()
    ).base_url;
    await pointProvinceAtB('http://127.0.0.1:9');
    const credentials = `/api/v1/grants/${encodeURIComponent(grant)}/credentials`;
    const { publicKey } = generateSm2KeyPair();
    const issued = await cityA.call(applicant, { method: 'POST', url: credentials, payload: { publicKey } });
    expect(issued.statusCode, issued.body).toBe(201);
    const { appKey } = issued.json<{ appKey: string }>();
    // Meanwhile B's provider revokes the grant: B will refuse the credential when it arrives.
    const [remote] = await cityB.app.hub.store.db
      .selectFrom('cascade_remote_applications')
      .selectAll()
      .execute();
    const revoke = await cityB.call(cityB.tokens.reviewer, {
      method: 'POST',
      url: `/api/v1/applications/${encodeURIComponent(remote!.application_id)}/revoke`,
      payload: { reason: '数据提供方停止提供' },
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    await pointProvinceAtB(cityBUrl);
    await province.app.hub.store.db
      .updateTable('cascade_outbox')
      .set({ next_attempt_at: new Date(0).toISOString() })
      .execute();
    await hubs.settle();
    const atB = await cityB.app.hub.store.db
      .selectFrom('grant_credentials')
      .select('app_key')
      .where('app_key', '=', appKey)
      .execute();
    expect(atB).toHaveLength(0);
    const listed = await cityA.call(applicant, { method: 'GET', url: credentials });
    expect(listed.json<{ items: { appKey: string; status: string }[] }>().items).toEqual([
      expect.objectContaining({ appKey, status: 'revoked' }),
    ]);
    const view = await cityA.call(applicant, {
      method: 'GET',
      url: `/api/v1/applications/${encodeURIComponent(routedId)}`,
    });
    expect(view.json<{ state: string }>().state).toBe('REVOKED');
  });
});
