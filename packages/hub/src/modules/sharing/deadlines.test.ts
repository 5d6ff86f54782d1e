import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test-utils/hub.js';
import {
  CONDITIONAL,
  NOW,
  sharingHub,
  steps,
  UNCONDITIONAL,
  type ApplicationView,
  type SharingHub,
} from '../../../test-utils/sharing.js';
import { auditedActions, queuedNotifications } from '../../../test-utils/workflow.js';
import { sweepApplications } from './deadlines.js';

interface Sweep {
  applications: { escalated: string[]; expired: string[]; breached: string[] };
}

/** Monday 29 September 2025, 23:59:59.999 China time: the precheck deadline of an application filed at NOW. */
const PRECHECK_DUE = new Date('2025-09-29T15:59:59.999Z');
const after = (instant: Date | string, ms = 1) => new Date(new Date(instant).getTime() + ms);

describe.each(ENGINES)('application deadlines on %s', (engine) => {
  let hub: SharingHub;
  beforeAll(async () => {
    hub = await sharingHub(engine);
  });
  beforeEach(() => hub.setNow(NOW));
  afterAll(async () => hub.close());

  const read = async (id: string) =>
    (await hub.get(hub.tokens.admin, `/applications/${encodeURIComponent(id)}`)).json<ApplicationView>();
  const sweep = async () => (await hub.post(hub.tokens.admin, '/admin/sweep')).json<Sweep>();

  it('escalates a missed precheck to the 主管部门, once, and never approves', async () => {
    const { id } = await hub.apply(CONDITIONAL);
    hub.setNow(PRECHECK_DUE);
    expect((await sweep()).applications.escalated).not.toContain(id);
    hub.setNow(after(PRECHECK_DUE));
    expect((await sweep()).applications.escalated).toContain(id);
    const escalated = await read(id);
    expect(escalated.state).toBe('ESCALATED');
    expect(escalated.history.at(-1)).toMatchObject({ action: 'sla_breach', actor: { system: 'deadline' } });
    // 10 working days after Tuesday 30 September: 9, 10, 11 (调休), 13–17, 20, 21 October.
    expect(escalated.deadline).toBe('2025-10-21T15:59:59.999Z');
    expect((await sweep()).applications.escalated).not.toContain(id);
    expect(await auditedActions(hub, id)).toContain('app.sla_breach');
    const breach = (await queuedNotifications(hub, id)).filter(
      (entry) => entry.event === 'application.sla_breach',
    );
    expect(breach.map((entry) => entry.platform)).toContain(1);
    hub.setNow(after(escalated.deadline!));
    expect((await sweep()).applications.breached).toContain(id);
    expect((await sweep()).applications.breached).not.toContain(id);
    const still = await read(id);
    expect(still).toMatchObject({ state: 'ESCALATED', breachedAt: after(escalated.deadline!).toISOString() });
  });

  it('expires an offer the applicant leaves unanswered', async () => {
    const { id } = await hub.apply(CONDITIONAL);
    await hub.step(hub.tokens.admin, id, 'approve');
    const offer = {
      items: ['姓名'],
      masking: 'MP-STD-01',
      quota: { perDay: 10 },
      period: { from: '2025-10-01', to: '2025-12-31' },
      mode: 'VERIFY',
    };
    const offered = (await hub.step(hub.tokens.reviewer, id, 'offer', offer)).json<ApplicationView>();
    hub.setNow(after(offered.deadline!));
    expect((await sweep()).applications.expired).toContain(id);
    expect(steps(await read(id)).at(-1)).toBe('sla_breach:EXPIRED');
  });

  it('expires a grant at the end of its period, and the grant with it', async () => {
    const created = await hub.apply(UNCONDITIONAL, { period: { from: '2025-10-01', to: '2025-10-31' } });
    const approved = (await hub.step(hub.tokens.admin, created.id, 'approve')).json<ApplicationView>();
    hub.setNow(new Date('2025-10-31T15:59:59.999Z'));
    expect((await sweep()).applications.expired).not.toContain(created.id);
    hub.setNow(new Date('2025-10-31T16:00:00Z'));
    expect((await sweep()).applications.expired).toContain(created.id);
    const grant = await hub.get(hub.tokens.admin, `/grants/${encodeURIComponent(approved.grant!)}`);
    expect(grant.json<{ status: string }>().status).toBe('expired');
  });

  it('handles each missed deadline once when two sweeps run at the same time', async () => {
    const ids = [(await hub.apply(CONDITIONAL)).id, (await hub.apply(CONDITIONAL)).id];
    const later = after(PRECHECK_DUE);
    const [left, right] = await Promise.all([
      sweepApplications(hub.app.hub, later),
      sweepApplications(hub.app.hub, later),
    ]);
    const escalated = [...left.escalated, ...right.escalated].filter((id) => ids.includes(id));
    expect(escalated.sort()).toEqual([...ids].sort());
    for (const id of ids)
      expect(steps(await read(id)).filter((step) => step === 'sla_breach:ESCALATED')).toHaveLength(1);
  });

  it('lets only an admin run the sweep', async () => {
    expect((await hub.post(hub.tokens.reviewer, '/admin/sweep')).statusCode).toBe(403);
    expect((await hub.post(hub.tokens.auditor, '/admin/sweep')).statusCode).toBe(403);
    expect((await hub.post(null, '/admin/sweep')).statusCode).toBe(401);
  });
});
