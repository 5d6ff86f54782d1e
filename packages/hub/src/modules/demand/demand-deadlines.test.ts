import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubOrganisationId } from '../../bootstrap.js';
import {
  DEMAND_DEADLINE,
  demandHub,
  NOW,
  PROVIDER,
  type DemandHub,
  type DemandView,
} from '../../../test-utils/demand.js';
import { ENGINES } from '../../../test-utils/hub.js';
import { sweepDemands } from './deadlines.js';

const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);

describe.each(ENGINES)('demand deadlines on %s', (engine) => {
  let hub: DemandHub;
  beforeAll(async () => {
    hub = await demandHub(engine);
  });
  afterAll(async () => hub.close());

  const view = async (id: string) =>
    (await hub.get(hub.tokens.auditor, `/demands/${id}`)).json() as DemandView;

  it('counts working days across the National Day holidays and the make-up Saturday', async () => {
    hub.setNow(NOW);
    const demand = await hub.file({ expectedProvider: PROVIDER.id });
    // Ten weekdays would end on 10 October; the holiday week pushes it to the 16th.
    expect(demand.deadline).toBe(DEMAND_DEADLINE);
    expect((await sweepDemands(hub.app.hub, new Date('2025-10-10T15:59:59.999Z'))).breached).not.toContain(
      demand.id,
    );
    expect((await sweepDemands(hub.app.hub, new Date(DEMAND_DEADLINE))).breached).not.toContain(demand.id);
  });

  it('records a breach once: state unchanged, history by system:deadline, audited, sla_breach to the platform', async () => {
    hub.setNow(NOW);
    const { id } = await hub.file({ expectedProvider: PROVIDER.id });
    const later = at(DEMAND_DEADLINE, 1);
    const { breached } = await sweepDemands(hub.app.hub, later);
    expect(breached).toContain(id);
    const demand = await view(id);
    expect(demand).toMatchObject({
      state: 'ROUTED',
      breachedAt: later.toISOString(),
      deadline: DEMAND_DEADLINE,
    });
    expect(demand.history?.at(-1)).toMatchObject({
      action: 'deadline',
      from: 'ROUTED',
      to: 'ROUTED',
      actor: { system: 'deadline' },
    });
    expect(await hub.audited(id)).toEqual(['demand.create', 'demand.submit', 'demand.deadline']);
    expect(await hub.queued(id)).toContainEqual({
      event: 'demand.sla_breach',
      org: hubOrganisationId('350000'),
      platform: 1,
      action: 'deadline',
    });
    expect((await sweepDemands(hub.app.hub, at(DEMAND_DEADLINE, 86_400_000))).breached).not.toContain(id);
    expect((await view(id)).history?.length).toBe(demand.history?.length);
    const document = await hub.get(hub.tokens.auditor, `/demands/${id}/document`);
    expect(document.statusCode, document.body).toBe(200);
  });

  it('breaches a claimed demand too, and re-routing starts a fresh deadline', async () => {
    hub.setNow(NOW);
    const { id } = await hub.file({ expectedProvider: PROVIDER.id });
    await hub.post(hub.parties.provider, `/demands/${id}/claim`, {});
    const later = at(DEMAND_DEADLINE, 1000);
    expect((await sweepDemands(hub.app.hub, later)).breached).toContain(id);
    expect(await view(id)).toMatchObject({ state: 'CLAIMED', breachedAt: later.toISOString() });
    const { id: other } = await hub.file({ expectedProvider: PROVIDER.id });
    await sweepDemands(hub.app.hub, later);
    hub.setNow(later);
    const rerouted = await hub.post(hub.tokens.admin, `/demands/${other}/route`, { provider: PROVIDER.id });
    const fresh = rerouted.json() as DemandView;
    expect(fresh.breachedAt).toBeUndefined();
    expect(Date.parse(fresh.deadline ?? '')).toBeGreaterThan(later.getTime());
    hub.setNow(NOW);
  });

  it('lets exactly one of two concurrent sweeps win each demand', async () => {
    hub.setNow(NOW);
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await hub.file({ expectedProvider: PROVIDER.id })).id);
    const later = at(DEMAND_DEADLINE, 5000);
    const [a, b] = await Promise.all([sweepDemands(hub.app.hub, later), sweepDemands(hub.app.hub, later)]);
    const won = [...a.breached, ...b.breached].filter((id) => ids.includes(id));
    expect(won.sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const history = (await view(id)).history ?? [];
      expect(history.filter((entry) => entry.action === 'deadline')).toHaveLength(1);
      expect((await hub.audited(id)).filter((action) => action === 'demand.deadline')).toHaveLength(1);
    }
  });

  it('leaves finished demands alone', async () => {
    hub.setNow(NOW);
    const { id } = await hub.file({ expectedProvider: PROVIDER.id });
    await hub.post(hub.parties.provider, `/demands/${id}/decline`, { reason: '无此数据' });
    expect((await sweepDemands(hub.app.hub, at(DEMAND_DEADLINE, 9000))).breached).not.toContain(id);
    expect((await view(id)).breachedAt).toBeUndefined();
  });
});
