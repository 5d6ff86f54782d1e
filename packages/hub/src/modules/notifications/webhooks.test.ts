import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { enqueueNotification, type HubNotification } from './outbox.js';

type Webhook = {
  id: string;
  org: string;
  url: string;
  events: string[];
  platform: boolean;
  disabledAt?: string;
};
type Registered = Webhook & { secret: string };

const NOW = new Date('2026-12-01T02:00:00.000Z');

describe.each(ENGINES)('webhook routes on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await buildTestHub(engine, {}, () => NOW);
  });
  afterAll(async () => hub.close());

  const gat = () => department('GAT', hub.config.hubCode).id;
  const scjg = () => department('SCJG', hub.config.hubCode).id;
  const register = (token: string | null, payload: object) =>
    hub.call(token, { method: 'POST', url: '/api/v1/webhooks', payload });
  const list = (token: string | null, query = '') =>
    hub.call(token, { method: 'GET', url: `/api/v1/webhooks${query}` });
  const remove = (token: string | null, id: string) =>
    hub.call(token, { method: 'DELETE', url: `/api/v1/webhooks/${id}` });
  const deliveries = (token: string | null, id: string, query = '') =>
    hub.call(token, { method: 'GET', url: `/api/v1/webhooks/${id}/deliveries${query}` });
  const ids = async (token: string) =>
    list(token).then((r) => (r.json() as { items: Webhook[] }).items.map((w) => w.id));

  async function added(token: string, payload: object = {}): Promise<Registered> {
    const answer = await register(token, { url: 'http://127.0.0.1:9/hook', ...payload });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json();
  }

  it('shows the secret once, at registration, and keeps it sealed at rest', async () => {
    const hook = await added(hub.tokens.officer, { url: 'https://receiver.example.gov.cn/minjiang?x=1' });
    expect(hook).toMatchObject({ org: gat(), events: ['*'], platform: false });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await list(hub.tokens.officer);
    expect(listed.body).toContain(hook.id);
    expect(listed.body).not.toContain(hook.secret);
    expect(listed.body).not.toContain('secret');
    expect((await deliveries(hub.tokens.officer, hook.id)).body).not.toContain(hook.secret);
    const removed = await remove(hub.tokens.officer, hook.id);
    expect(removed.body).not.toContain('secret');
    const row = await hub.app.hub.store.db
      .selectFrom('webhooks')
      .selectAll()
      .where('id', '=', hook.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(hook.secret);
    expect(hub.app.hub.key.open(row.secret_enc)).toBe(hook.secret);
  });

  it('POST: officers and reviewers register for their organisation, admins a platform webhook', async () => {
    expect((await added(hub.tokens.reviewer, { events: ['demand.decision'] })).platform).toBe(false);
    const platform = await added(hub.tokens.admin, { events: ['application.sla_breach', '*'] });
    expect(platform).toMatchObject({ platform: true, events: ['*'] });
    expect((await register(hub.tokens.auditor, { url: 'http://127.0.0.1/h' })).statusCode).toBe(403);
    expect((await register(hub.tokens.consumer, { url: 'http://127.0.0.1/h' })).statusCode).toBe(403);
    expect((await register(null, { url: 'http://127.0.0.1/h' })).statusCode).toBe(401);
  });

  it('refuses URLs that are not http(s), carry credentials or a fragment, and unknown events', async () => {
    for (const url of [
      'ftp://127.0.0.1/h',
      'https://user:p4ssw0rd@receiver.example/h',
      'not a url at all',
      'http://127.0.0.1/h#x',
    ]) {
      const answer = await register(hub.tokens.officer, { url });
      expect(answer.statusCode, url).toBe(422);
      expect(answer.json()).toMatchObject({ code: 'HUB_ERR_WEBHOOK_URL' });
      expect(answer.body).not.toContain('p4ssw0rd');
    }
    const event = await register(hub.tokens.officer, {
      url: 'http://127.0.0.1/h',
      events: ['catalog.change'],
    });
    expect(event.statusCode).toBe(400);
    const loopback = await register(hub.tokens.officer, {
      url: 'http://localhost:8080/h',
      events: ['demand.sla_breach'],
    });
    expect(loopback.statusCode).toBe(201);
  });

  it('GET: each organisation sees its own webhooks, admins and auditors all; consumers none', async () => {
    const own = await added(hub.tokens.officer);
    const other = await added(hub.tokens.otherOfficer);
    expect(await ids(hub.tokens.officer)).toContain(own.id);
    expect(await ids(hub.tokens.reviewer)).toContain(own.id);
    expect(await ids(hub.tokens.officer)).not.toContain(other.id);
    expect(await ids(hub.tokens.otherOfficer)).toEqual([other.id]);
    for (const token of [hub.tokens.admin, hub.tokens.auditor])
      expect(await ids(token)).toEqual(expect.arrayContaining([own.id, other.id]));
    expect((await list(hub.tokens.consumer)).statusCode).toBe(403);
    expect((await list(null)).statusCode).toBe(401);
  });

  it('GET pages with a cursor, newest first, and refuses a forged cursor', async () => {
    const all = await ids(hub.tokens.admin);
    const first = (await list(hub.tokens.admin, '?limit=2')).json() as { items: Webhook[]; next?: string };
    expect(first.items.map((w) => w.id)).toEqual(all.slice(0, 2));
    const second = (await list(hub.tokens.admin, `?limit=2&cursor=${first.next}`)).json() as {
      items: Webhook[];
    };
    expect(second.items.map((w) => w.id)).toEqual(all.slice(2, 4));
    expect((await list(hub.tokens.admin, '?cursor=bm9wZQ')).statusCode).toBe(400);
  });

  it('DELETE: own organisation (admins any), idempotent, audited; others get 404 or 403', async () => {
    const hook = await added(hub.tokens.officer);
    expect((await remove(hub.tokens.otherOfficer, hook.id)).statusCode).toBe(404);
    expect((await remove(hub.tokens.auditor, hook.id)).statusCode).toBe(403);
    expect((await remove(hub.tokens.consumer, hook.id)).statusCode).toBe(403);
    expect((await remove(null, hook.id)).statusCode).toBe(401);
    const removed = await remove(hub.tokens.reviewer, hook.id);
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ id: hook.id, disabledAt: NOW.toISOString() });
    expect((await remove(hub.tokens.officer, hook.id)).json()).toEqual(removed.json());
    expect(await ids(hub.tokens.officer)).not.toContain(hook.id);
    const other = await added(hub.tokens.otherOfficer);
    expect((await remove(hub.tokens.admin, other.id)).statusCode).toBe(200);
    expect((await remove(hub.tokens.admin, 'wh_missing')).statusCode).toBe(404);
    const audit = await hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select(['action', 'object'])
      .where('object', '=', hook.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual(['webhook.register', 'webhook.remove']);
  });

  it('GET deliveries: the organisation, admins and auditors; 404 for another organisation', async () => {
    const hook = await added(hub.tokens.officer);
    for (const token of [hub.tokens.officer, hub.tokens.reviewer, hub.tokens.admin, hub.tokens.auditor])
      expect((await deliveries(token, hook.id)).json()).toEqual({ items: [] });
    expect((await deliveries(hub.tokens.otherOfficer, hook.id)).statusCode).toBe(404);
    expect((await deliveries(hub.tokens.consumer, hook.id)).statusCode).toBe(403);
    expect((await deliveries(null, hook.id)).statusCode).toBe(401);
    expect((await deliveries(hub.tokens.officer, hook.id, '?status=sent')).statusCode).toBe(400);
  });

  it('enqueueNotification queues one row per matching webhook: organisation, platform, event filter', async () => {
    const db = hub.app.hub.store.db;
    for (const hook of await ids(hub.tokens.admin)) await remove(hub.tokens.admin, hook);
    const decisions = await added(hub.tokens.officer, { events: ['demand.decision'] });
    const everything = await added(hub.tokens.reviewer);
    const other = await added(hub.tokens.otherOfficer, {
      events: ['demand.action_needed', 'demand.decision'],
    });
    const platform = await added(hub.tokens.admin);
    const notify = (
      notification: Partial<HubNotification> & Pick<HubNotification, 'type' | 'orgs' | 'platform'>,
    ) =>
      db.transaction().execute((trx) =>
        enqueueNotification(
          trx,
          hub.app.hub,
          {
            subject: { kind: 'demand', id: 'D-1', state: 'SUBMITTED' },
            action: 'submit',
            next: null,
            ...notification,
          },
          NOW,
        ),
      );
    const count = async (hook: Registered) =>
      ((await deliveries(hub.tokens.admin, hook.id)).json() as { items: unknown[] }).items.length;
    expect(await notify({ type: 'decision', orgs: [gat(), gat()], platform: false })).toBe(2);
    expect(await notify({ type: 'action_needed', orgs: [scjg()], platform: true })).toBe(2);
    expect(await notify({ type: 'sla_breach', orgs: [], platform: true })).toBe(1);
    expect(await notify({ type: 'sla_breach', orgs: [], platform: false })).toBe(0);
    await remove(hub.tokens.reviewer, everything.id);
    expect(await notify({ type: 'action_needed', orgs: [gat()], platform: false })).toBe(0);
    expect([
      await count(decisions),
      await count(everything),
      await count(other),
      await count(platform),
    ]).toEqual([1, 1, 1, 2]);
    const [first] = (
      (await deliveries(hub.tokens.admin, decisions.id)).json() as {
        items: { event: string; status: string }[];
      }
    ).items;
    expect(first).toMatchObject({ event: 'demand.decision', status: 'pending', attempts: 0 });
  });
});
