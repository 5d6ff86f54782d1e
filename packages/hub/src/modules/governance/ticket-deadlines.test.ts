import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubOrganisationId } from '../../bootstrap.js';
import {
  CALENDAR,
  DEADLINE,
  fileTicket,
  finding,
  goodRow,
  governanceHub,
  NOW,
  type GovernanceHub,
} from '../../../test-utils/governance.js';
import { department, ENGINES } from '../../../test-utils/hub.js';
import { auditedActions, queuedNotifications } from '../../../test-utils/workflow.js';
import { loadCalendar } from './calendar.js';
import { escalationTarget, sweepTickets } from './ticket-deadlines.js';

const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);
/** Five working days after Friday 10 October 2025: the make-up Saturday the 11th counts. */
const SECOND = '2025-10-16T15:59:59.999Z';

type Ticket = {
  status: string;
  escalation?: { level: number; at: string; nextAt?: string };
  history: { action: string; from: string | null; to: string; actor: object; reason?: string }[];
};

describe('escalationTarget', () => {
  const calendar = loadCalendar(CALENDAR);
  it('is level 0 up to the deadline, 1 after it, 2 after five more working days of the holiday calendar', () => {
    expect(escalationTarget(DEADLINE, new Date(DEADLINE), 5, calendar)).toEqual({ level: 0, next: DEADLINE });
    expect(escalationTarget(DEADLINE, at(DEADLINE, 1), 5, calendar)).toEqual({ level: 1, next: SECOND });
    expect(escalationTarget(DEADLINE, new Date(SECOND), 5, calendar).level).toBe(1);
    expect(escalationTarget(DEADLINE, at(SECOND, 1), 5, calendar)).toEqual({ level: 2, next: null });
    expect(escalationTarget(DEADLINE, at(SECOND, 1), 0, calendar)).toEqual({ level: 1, next: null });
  });
});

describe.each(ENGINES)('problem ticket escalation on %s', (engine) => {
  let hub: GovernanceHub;
  beforeAll(async () => {
    hub = await governanceHub(engine);
    // The owning organisation's webhook and the platform's, for ticket escalations only.
    for (const token of [hub.tokens.officer, hub.tokens.admin]) {
      const added = await post(token, '/webhooks', {
        url: 'http://127.0.0.1:9/hook',
        events: ['ticket.sla_breach'],
      });
      if (added.statusCode !== 201) throw new Error(added.body);
    }
  });
  afterAll(async () => hub.close());

  const get = (token: string, url: string) => hub.call(token, { method: 'GET', url: `/api/v1${url}` });
  function post(token: string, url: string, payload: object = {}) {
    return hub.call(token, { method: 'POST', url: `/api/v1${url}`, payload });
  }
  const view = async (id: string) => (await get(hub.tokens.auditor, `/tickets/${id}`)).json() as Ticket;

  async function oneTicket(): Promise<string> {
    hub.setNow(NOW);
    const row = { ...goodRow(1), 姓名: '' };
    return fileTicket(hub, [
      { rowNumber: 2, key: null, row, findings: [finding('姓名', 'DATA-REQUIRED', '', '必填项为空')] },
    ]);
  }

  it('does nothing up to the deadline, which the National Day week pushed to 10 October', async () => {
    const id = await oneTicket();
    const during = await sweepTickets(hub.app.hub, new Date('2025-10-05T04:00:00Z'));
    const atDeadline = await sweepTickets(hub.app.hub, new Date(DEADLINE));
    expect([...during.escalated, ...atDeadline.escalated]).not.toContain(id);
    expect((await view(id)).escalation).toBeUndefined();
  });

  it('escalates an overdue ticket once across concurrent sweeps: event, audit, one notification per webhook', async () => {
    const id = await oneTicket();
    const late = at(DEADLINE, 1000);
    const sweeps = await Promise.all([1, 2, 3].map(() => sweepTickets(hub.app.hub, late)));
    expect(sweeps.flatMap((sweep) => sweep.escalated).filter((won) => won === id)).toEqual([id]);
    const ticket = await view(id);
    expect(ticket.status).toBe('open');
    expect(ticket.escalation).toEqual({ level: 1, at: late.toISOString(), nextAt: SECOND });
    expect(ticket.history.at(-1)).toMatchObject({
      action: 'escalate',
      from: 'open',
      to: 'open',
      actor: { tokenId: 'system:deadline', orgId: null },
    });
    expect(await auditedActions(hub, id)).toEqual(['governance.ticket.open', 'governance.ticket.sla_breach']);
    const queued = await queuedNotifications(hub, id);
    expect(queued).toHaveLength(2);
    expect(queued).toEqual(
      expect.arrayContaining([
        { event: 'ticket.sla_breach', org: department('GAT').id, platform: 0, action: 'escalate' },
        { event: 'ticket.sla_breach', org: hubOrganisationId('350000'), platform: 1, action: 'escalate' },
      ]),
    );
  });

  it('does not repeat a level, and escalates a second time once, five working days later', async () => {
    const id = await oneTicket();
    await sweepTickets(hub.app.hub, at(DEADLINE, 1));
    const again = await sweepTickets(hub.app.hub, new Date(SECOND));
    expect([...again.escalated, ...again.reescalated]).not.toContain(id);
    const later = at(SECOND, 1);
    const [first, second] = await Promise.all([
      sweepTickets(hub.app.hub, later),
      sweepTickets(hub.app.hub, later),
    ]);
    expect([...(first?.reescalated ?? []), ...(second?.reescalated ?? [])].filter((x) => x === id)).toEqual([
      id,
    ]);
    expect((await view(id)).escalation).toEqual({ level: 2, at: later.toISOString() });
    expect((await sweepTickets(hub.app.hub, at(SECOND, 30 * 86_400_000))).reescalated).not.toContain(id);
    const audited = await auditedActions(hub, id);
    expect(audited.filter((action) => action === 'governance.ticket.sla_breach')).toHaveLength(2);
    const rows = await hub.app.hub.store.db
      .selectFrom('notification_outbox')
      .select('payload')
      .where('event_type', '=', 'ticket.sla_breach')
      .execute();
    const levels = rows
      .map((row) => JSON.parse(row.payload) as { subject: { id: string }; level: number })
      .filter((body) => body.subject.id === id)
      .map((body) => body.level);
    expect(levels.sort()).toEqual([1, 1, 2, 2]);
  });

  it('leaves closed and disputed tickets alone', async () => {
    const closed = await oneTicket();
    const disputed = await oneTicket();
    for (const id of [closed, disputed]) {
      const answer = await post(hub.tokens.officer, `/tickets/${id}/dispute`, { reason: '该行数据无误' });
      expect(answer.statusCode, answer.body).toBe(200);
    }
    const resolved = await post(hub.tokens.admin, `/tickets/${closed}/resolve`, {
      decision: 'close',
      reason: '核实无误',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const swept = await sweepTickets(hub.app.hub, at(SECOND, 1));
    expect([...swept.escalated, ...swept.reescalated]).not.toContain(closed);
    expect([...swept.escalated, ...swept.reescalated]).not.toContain(disputed);
    expect((await view(closed)).escalation).toBeUndefined();
    expect(await queuedNotifications(hub, disputed)).toEqual([]);
  });

  it('answers the escalations in POST /admin/sweep, which is for admins only', async () => {
    const id = await oneTicket();
    hub.setNow(at(DEADLINE, 5000));
    for (const token of [hub.tokens.auditor, hub.tokens.officer, hub.tokens.consumer])
      expect((await post(token, '/admin/sweep')).statusCode).toBe(403);
    expect((await view(id)).escalation).toBeUndefined();
    const answer = await post(hub.tokens.admin, '/admin/sweep');
    expect(answer.statusCode, answer.body).toBe(200);
    expect((answer.json() as { tickets: { escalated: string[] } }).tickets.escalated).toContain(id);
  });
});
