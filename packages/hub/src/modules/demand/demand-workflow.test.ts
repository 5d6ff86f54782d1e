import { validateDemand } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubOrganisationId } from '../../bootstrap.js';
import {
  DEMAND_DEADLINE,
  demandBody,
  demandHub,
  GAT_CODE,
  NOW,
  PROVIDER,
  REQUESTER,
  SCJG_CODE,
  THIRD,
  type DemandHub,
  type DemandView,
} from '../../../test-utils/demand.js';
import { ENGINES } from '../../../test-utils/hub.js';

const sorted = <T>(list: T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe.each(ENGINES)('demand workflow on %s', (engine) => {
  let hub: DemandHub;
  beforeAll(async () => {
    hub = await demandHub(engine);
  });
  afterAll(async () => hub.close());

  async function step(token: string, id: string, action: string, body: object = {}): Promise<DemandView> {
    const response = await hub.post(token, `/demands/${id}/${action}`, body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as DemandView;
  }

  async function documentOf(id: string) {
    const response = await hub.get(hub.tokens.auditor, `/demands/${id}/document`);
    expect(response.statusCode, response.body).toBe(200);
    const document = response.json() as Record<string, unknown>;
    expect(validateDemand(document, { now: NOW })).toEqual([]);
    return document;
  }

  it('files a demand with an expected provider: routed at once, with a working-day deadline, audited and notified', async () => {
    const demand = await hub.file({ expectedProvider: PROVIDER.id, description: '开办企业时核验' });
    expect(demand.id).toMatch(/^urn:ses:demand:350000:2025:\d+$/);
    expect(demand).toMatchObject({
      requester: REQUESTER.id,
      provider: PROVIDER.id,
      state: 'ROUTED',
      deadline: DEMAND_DEADLINE,
    });
    expect(demand.next).toEqual({
      party: 'provider',
      role: 'officer',
      org: PROVIDER.id,
      actions: ['claim', 'fulfil', 'decline'],
      deadline: DEMAND_DEADLINE,
    });
    expect(demand.history?.map((h) => [h.action, h.from, h.to])).toEqual([
      ['create', null, 'DRAFT'],
      ['submit', 'DRAFT', 'ROUTED'],
    ]);
    expect(await hub.audited(demand.id)).toEqual(['demand.create', 'demand.submit']);
    expect(await hub.queued(demand.id)).toEqual([
      { event: 'demand.action_needed', org: PROVIDER.id, platform: 0, action: 'submit' },
    ]);
  });

  it('goes ROUTED → CLAIMED → FULFILLED → CLOSED with a resource the provider registered', async () => {
    const { id } = await hub.file({ expectedProvider: PROVIDER.id });
    const claimed = await step(hub.parties.providerReviewer, id, 'claim');
    expect(claimed).toMatchObject({ state: 'CLAIMED', provider: PROVIDER.id, deadline: DEMAND_DEADLINE });
    expect(claimed.next.actions).toEqual(['fulfil', 'decline']);

    const other = await hub.post(hub.parties.provider, `/demands/${id}/fulfil`, { resourceCode: SCJG_CODE });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'HUB_ERR_DEMAND_RESOURCE' });
    expect((other.json() as { message: string }).message).toContain(SCJG_CODE);
    const unknown = await hub.post(hub.parties.provider, `/demands/${id}/fulfil`, {
      resourceCode: '3350010001/999999',
    });
    expect(unknown.json()).toMatchObject({ code: 'HUB_ERR_DEMAND_RESOURCE' });

    const fulfilled = await step(hub.parties.provider, id, 'fulfil', {
      resourceCode: GAT_CODE,
      note: '已登记为新资源',
    });
    expect(fulfilled).toMatchObject({
      state: 'FULFILLED',
      fulfilment: { resourceCode: GAT_CODE, note: '已登记为新资源', fulfilledAt: NOW.toISOString() },
      next: { party: 'requester', org: REQUESTER.id, actions: ['close'], deadline: null },
    });
    expect(fulfilled.deadline).toBeUndefined();
    expect(await documentOf(id)).toMatchObject({
      state: 'FULFILLED',
      fulfilment: { resourceCode: GAT_CODE },
    });

    const closed = await step(hub.parties.requester, id, 'close');
    expect(closed.state).toBe('CLOSED');
    expect(closed.next).toEqual({ party: 'nobody', role: null, org: null, actions: [], deadline: null });
    expect(closed.history?.map((h) => h.action)).toEqual(['create', 'submit', 'claim', 'fulfil', 'close']);
    expect(closed.history?.[3]).toMatchObject({
      actor: { org: PROVIDER.id },
      detail: { resourceCode: GAT_CODE },
    });
    expect(await hub.audited(id)).toEqual([
      'demand.create',
      'demand.submit',
      'demand.claim',
      'demand.fulfil',
      'demand.close',
    ]);
    const document = await documentOf(id);
    expect(document).toMatchObject({
      id,
      requester: { uscc: REQUESTER.uscc },
      expectedProvider: { uscc: PROVIDER.uscc },
      state: 'CLOSED',
    });
    expect((document.history as unknown[]).length).toBe(5);
    expect(sorted(await hub.queued(id))).toEqual(
      sorted([
        { event: 'demand.action_needed', org: PROVIDER.id, platform: 0, action: 'submit' },
        { event: 'demand.decision', org: REQUESTER.id, platform: 0, action: 'claim' },
        { event: 'demand.decision', org: REQUESTER.id, platform: 0, action: 'fulfil' },
        { event: 'demand.decision', org: PROVIDER.id, platform: 0, action: 'close' },
      ]),
    );
  });

  it('waits on the platform when no provider is expected: route (admin), then decline with a reason, then close', async () => {
    const { id, state, next } = await hub.file();
    expect(state).toBe('SUBMITTED');
    expect(next).toEqual({ party: 'platform', role: 'admin', org: null, actions: ['route'], deadline: null });
    expect(await hub.queued(id)).toEqual([
      { event: 'demand.action_needed', org: hubOrganisationId('350000'), platform: 1, action: 'submit' },
    ]);
    const routed = await step(hub.tokens.admin, id, 'route', { provider: PROVIDER.id });
    expect(routed).toMatchObject({ state: 'ROUTED', provider: PROVIDER.id, deadline: DEMAND_DEADLINE });
    const noReason = await hub.post(hub.parties.provider, `/demands/${id}/decline`, { reason: '  ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json()).toMatchObject({ code: 'HUB_ERR_REASON_REQUIRED' });
    const declined = await step(hub.parties.providerReviewer, id, 'decline', { reason: '本厅未采集该数据' });
    expect(declined).toMatchObject({ state: 'DECLINED', reason: '本厅未采集该数据' });
    expect(declined.history?.at(-1)).toMatchObject({ action: 'decline', reason: '本厅未采集该数据' });
    expect(await documentOf(id)).toMatchObject({ state: 'DECLINED', declineReason: '本厅未采集该数据' });
    await step(hub.parties.requester, id, 'close');
    expect(await documentOf(id)).toMatchObject({ state: 'CLOSED', declineReason: '本厅未采集该数据' });
    expect(await hub.audited(id)).toEqual([
      'demand.create',
      'demand.submit',
      'demand.route',
      'demand.decline',
      'demand.close',
    ]);
  });

  it('keeps a draft when asked, submits it later, and withdraws with a reason', async () => {
    const draft = await hub.file({ submit: false });
    expect(draft.state).toBe('DRAFT');
    expect(draft.next).toMatchObject({
      party: 'requester',
      org: REQUESTER.id,
      actions: ['submit', 'withdraw'],
    });
    expect(await hub.queued(draft.id)).toEqual([]);
    expect((await step(hub.parties.requester, draft.id, 'submit')).state).toBe('SUBMITTED');
    const missing = await hub.post(hub.parties.requester, `/demands/${draft.id}/withdraw`, {});
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toMatchObject({ code: 'HUB_ERR_REASON_REQUIRED' });
    const withdrawn = await step(hub.parties.requester, draft.id, 'withdraw', {
      reason: '需求已由其他渠道满足',
    });
    expect(withdrawn).toMatchObject({ state: 'WITHDRAWN', reason: '需求已由其他渠道满足' });
    expect(await documentOf(draft.id)).toMatchObject({ state: 'WITHDRAWN' });
  });

  it('lets another organisation claim an unrouted demand: it becomes the provider and its clock starts', async () => {
    const { id } = await hub.file();
    const claimed = await step(hub.parties.third, id, 'claim');
    expect(claimed).toMatchObject({ state: 'CLAIMED', provider: THIRD.id, deadline: DEMAND_DEADLINE });
    expect(claimed.next.org).toBe(THIRD.id);
    const fulfil = await hub.post(hub.parties.third, `/demands/${id}/fulfil`, { resourceCode: GAT_CODE });
    expect(fulfil.statusCode).toBe(422);
    expect(fulfil.json()).toMatchObject({ code: 'HUB_ERR_DEMAND_RESOURCE' });
  });

  it('checks what is filed against the standard (an expected date in the past) and the expected provider', async () => {
    const past = await hub.post(
      hub.parties.requester,
      '/demands',
      demandBody({ expectedDate: '2025-01-01' }),
    );
    expect(past.statusCode).toBe(422);
    expect(past.json()).toMatchObject({
      code: 'HUB_ERR_VALIDATION',
      issues: [{ code: 'DEM-007', location: '/expectedDate' }],
    });
    for (const provider of [REQUESTER.id, '350000/GOV/91350000MA00000000']) {
      const bad = await hub.post(
        hub.parties.requester,
        '/demands',
        demandBody({ expectedProvider: provider }),
      );
      expect(bad.statusCode).toBe(422);
      expect(bad.json()).toMatchObject({ code: 'HUB_ERR_DEMAND_PROVIDER' });
    }
  });
});
