import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demandBody,
  demandHub,
  GAT_CODE,
  PROVIDER,
  type DemandHub,
  type DemandView,
} from '../../../test-utils/demand.js';
import { ENGINES } from '../../../test-utils/hub.js';

describe.each(ENGINES)('demand refusals on %s', (engine) => {
  let hub: DemandHub;
  let routed: DemandView;
  beforeAll(async () => {
    hub = await demandHub(engine);
    routed = await hub.file({ expectedProvider: PROVIDER.id });
  });
  afterAll(async () => hub.close());

  /** The demand's history length and audit entries: what a refusal must leave untouched. */
  async function trace(id: string) {
    const view = (await hub.get(hub.tokens.auditor, `/demands/${id}`)).json() as DemandView;
    return { state: view.state, history: view.history?.length, audit: (await hub.audited(id)).length };
  }

  it('refuses a role the route does not take with 403 HUB_ERR_FORBIDDEN', async () => {
    const cases: [string, string, object][] = [
      [hub.tokens.consumer, '/demands', demandBody()],
      [hub.tokens.reviewer, '/demands', demandBody()],
      [hub.tokens.admin, '/demands', demandBody()],
      [hub.tokens.admin, `/demands/${routed.id}/fulfil`, { resourceCode: GAT_CODE }],
      [hub.tokens.auditor, `/demands/${routed.id}/decline`, { reason: 'x' }],
      [hub.parties.provider, `/demands/${routed.id}/route`, { provider: PROVIDER.id }],
      [hub.parties.providerReviewer, `/demands/${routed.id}/fulfil`, { resourceCode: GAT_CODE }],
    ];
    for (const [token, url, body] of cases) {
      const response = await hub.post(token, url, body);
      expect(response.statusCode, url).toBe(403);
      expect(response.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
    }
    const list = await hub.get(hub.tokens.consumer, '/demands');
    expect(list.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
  });

  it('refuses the right role of the wrong organisation with 403 HUB_ERR_NOT_PARTY, recording nothing', async () => {
    const before = await trace(routed.id);
    const cases: [string, string, object][] = [
      [hub.parties.requester, 'fulfil', { resourceCode: GAT_CODE }],
      [hub.parties.requester, 'claim', {}],
      [hub.parties.third, 'decline', { reason: '不是我们的数据' }],
      [hub.parties.third, 'claim', {}],
      [hub.parties.provider, 'withdraw', { reason: '提供方不能撤回' }],
      [hub.parties.provider, 'close', {}],
    ];
    for (const [token, action, body] of cases) {
      const response = await hub.post(token, `/demands/${routed.id}/${action}`, body);
      expect(response.statusCode, action).toBe(403);
      expect(response.json()).toMatchObject({ code: 'HUB_ERR_NOT_PARTY' });
      expect((response.json() as { message: string }).message).toContain(routed.id);
    }
    expect(await trace(routed.id)).toEqual(before);
  });

  it('refuses a step the state does not allow with 409 HUB_ERR_WORKFLOW_STATE, naming what is allowed', async () => {
    const response = await hub.post(hub.parties.requester, `/demands/${routed.id}/close`, {});
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'HUB_ERR_WORKFLOW_STATE',
      currentState: 'ROUTED',
      allowed: ['route', 'claim', 'fulfil', 'decline', 'withdraw'],
    });
    const submit = await hub.post(hub.parties.requester, `/demands/${routed.id}/submit`, {});
    expect(submit.json()).toMatchObject({ code: 'HUB_ERR_WORKFLOW_STATE', currentState: 'ROUTED' });
  });

  it('refuses a step whose expectedState is not the current state with 409', async () => {
    const before = await trace(routed.id);
    const response = await hub.post(hub.parties.provider, `/demands/${routed.id}/claim`, {
      expectedState: 'SUBMITTED',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'HUB_ERR_WORKFLOW_STATE', currentState: 'ROUTED' });
    expect(await trace(routed.id)).toEqual(before);
  });

  it('answers a repeated messageId with the demand as it is now and records nothing', async () => {
    const { id } = await hub.file({ expectedProvider: PROVIDER.id });
    const first = await hub.post(hub.parties.provider, `/demands/${id}/claim`, {
      messageId: 'm-claim-1',
      expectedState: 'ROUTED',
    });
    expect(first.statusCode).toBe(200);
    const after = await trace(id);
    const queued = (await hub.queued(id)).length;
    const again = await hub.post(hub.parties.provider, `/demands/${id}/claim`, {
      messageId: 'm-claim-1',
      expectedState: 'ROUTED',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ state: 'CLAIMED' });
    expect(await trace(id)).toEqual(after);
    expect((await hub.queued(id)).length).toBe(queued);
    // A message id of another demand is not this one's: it runs here.
    const declined = await hub.post(hub.parties.provider, `/demands/${routed.id}/decline`, {
      messageId: 'm-claim-1',
      reason: '暂无此数据',
    });
    expect(declined.json()).toMatchObject({ state: 'DECLINED' });
    routed = declined.json() as DemandView;
  });

  it('refuses routing to the requester itself or to an unknown organisation (422), and unknown demands (404)', async () => {
    const { id } = await hub.file();
    for (const provider of [routed.requester, 'nobody']) {
      const response = await hub.post(hub.tokens.admin, `/demands/${id}/route`, { provider });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'HUB_ERR_DEMAND_PROVIDER' });
    }
    const missing = await hub.post(hub.parties.provider, '/demands/urn:ses:demand:350000:2025:999/claim', {});
    expect(missing.statusCode).toBe(404);
    const body = await hub.post(hub.parties.provider, `/demands/${id}/fulfil`, {});
    expect(body.statusCode).toBe(400);
  });

  it('hides a demand from organisations that are not party to it (404), but not from auditors', async () => {
    const { id } = await hub.file({ expectedProvider: PROVIDER.id });
    expect((await hub.get(hub.parties.third, `/demands/${id}`)).statusCode).toBe(404);
    expect((await hub.get(hub.parties.third, `/demands/${id}/document`)).statusCode).toBe(404);
    expect((await hub.get(hub.tokens.auditor, `/demands/${id}`)).statusCode).toBe(200);
    expect((await hub.get(hub.parties.providerReviewer, `/demands/${id}`)).statusCode).toBe(200);
  });
});
