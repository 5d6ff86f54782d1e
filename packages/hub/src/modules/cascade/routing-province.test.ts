import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, putEntry, resourceCode, transition } from '../../../test-utils/catalog.js';
import { ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { CONDITIONAL } from '../../../test-utils/sharing.js';
import { apply, CITY_A, CITY_B, routingHubs, type RoutingHubs } from '../../../test-utils/routing.js';

const N = 42;
const PROVINCE = '350000';

interface Routed {
  id: string;
  state: string;
  grant?: string;
  routed: { owner: string | null; via: string[]; status: string };
}

/** The province's own ends of routing: as the hub where the consumer applied, and as the owner. */
describe.each(ENGINES)('cascade routing with the province as origin and as owner on %s', (engine) => {
  let hubs: RoutingHubs;
  const read = async (hub: TestHub, token: string, id: string) => {
    const answer = await hub.call(token, {
      method: 'GET',
      url: `/api/v1/applications/${encodeURIComponent(id)}`,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<Routed>();
  };
  const approveAll = async (hub: TestHub, id: string) => {
    const url = `/api/v1/applications/${encodeURIComponent(id)}/approve`;
    const first = await hub.call(hub.tokens.admin, { method: 'POST', url, payload: {} });
    expect(first.statusCode, first.body).toBe(200);
    if (first.json<{ state: string }>().state === 'PROVIDER_REVIEW')
      expect((await hub.call(hub.tokens.reviewer, { method: 'POST', url, payload: {} })).statusCode).toBe(
        200,
      );
  };
  const grantOf = async (hub: TestHub, token: string, id: string) =>
    (await hub.call(token, { method: 'GET', url: `/api/v1/grants/${encodeURIComponent(id)}` })).json<{
      signer?: { hub: string; publicKey: string };
    }>();

  beforeAll(async () => {
    hubs = await routingHubs(engine, N);
  });
  afterAll(async () => hubs?.close());

  it("routes a provincial consumer's application straight to the owning city and mirrors B's decision", async () => {
    const { province, cityB } = hubs;
    const made = await province.call(province.tokens.otherOfficer, {
      method: 'POST',
      url: '/api/v1/applications',
      payload: apply(resourceCode(N)),
    });
    expect(made.statusCode, made.body).toBe(201);
    const routed = made.json<Routed>();
    expect(routed.id).toMatch(/^urn:ses:app:350000:/);
    expect(routed.routed).toMatchObject({ owner: CITY_B, via: [PROVINCE, CITY_B], status: 'owner' });
    const [remote] = await cityB.app.hub.store.db
      .selectFrom('cascade_remote_applications')
      .selectAll()
      .execute();
    expect(remote).toMatchObject({ origin_id: routed.id, reply_to: PROVINCE, origin_hub: PROVINCE });
    await approveAll(cityB, remote!.application_id);
    await hubs.settle();
    const seen = await read(province, province.tokens.otherOfficer, routed.id);
    expect(seen.state).toBe('APPROVED');
    const grant = await grantOf(province, province.tokens.otherOfficer, seen.grant!);
    expect(grant.signer).toMatchObject({ hub: CITY_B, publicKey: cityB.publicKey });
  });

  it("files a city consumer's application for a provincial resource at the province and sends its steps down", async () => {
    const { province, cityA, applicant } = hubs;
    const entry = catalogEntry(1);
    expect((await putEntry(province, province.tokens.officer, entry)).statusCode).toBeLessThan(300);
    await transition(province, province.tokens.officer, CONDITIONAL, 'submit');
    expect((await transition(province, province.tokens.admin, CONDITIONAL, 'approve')).statusCode).toBe(200);
    // The applicant's webhook at its own hub hears of the owner's steps.
    const hook = await cityA.call(applicant, {
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'http://127.0.0.1:9/hook' },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const made = await cityA.call(applicant, {
      method: 'POST',
      url: '/api/v1/applications',
      payload: apply(CONDITIONAL),
    });
    expect(made.statusCode, made.body).toBe(201);
    const routed = made.json<Routed>();
    expect(routed.routed).toMatchObject({ owner: PROVINCE, via: [CITY_A, PROVINCE], status: 'owner' });
    const remote = await province.app.hub.store.db
      .selectFrom('cascade_remote_applications')
      .selectAll()
      .where('origin_id', '=', routed.id)
      .executeTakeFirstOrThrow();
    expect(remote.reply_to).toBe(CITY_A);
    await approveAll(province, remote.application_id);
    await hubs.settle();
    const seen = await read(cityA, applicant, routed.id);
    expect(seen.state).toBe('APPROVED');
    expect(seen.grant).toMatch(/^urn:ses:grant:350000:/);
    const grant = await grantOf(cityA, applicant, seen.grant!);
    expect(grant.signer).toMatchObject({ hub: PROVINCE, publicKey: province.publicKey });
    const told = await cityA.app.hub.store.db
      .selectFrom('notification_outbox')
      .select(['event_type', 'payload'])
      .execute();
    const decisions = told
      .filter((row) => row.event_type === 'application.decision')
      .map((row) => JSON.parse(row.payload) as { subject: { id: string; state: string } });
    expect(decisions.map((d) => d.subject)).toContainEqual({
      kind: 'application',
      id: routed.id,
      state: 'APPROVED',
    });
  });
});
