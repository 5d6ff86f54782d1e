import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { verifyWebhookSignature } from '@minjiang/standards';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { dispatchDue, MAX_ATTEMPTS, retryDelayMs } from './dispatcher.js';
import { enqueueNotification } from './outbox.js';

const T0 = new Date('2026-12-01T02:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Receivers listening now: every test's are closed after it. */
const listening = new Set<Receiver>();

/** A real HTTP receiver on loopback: records every request and answers the next scripted status. */
class Receiver {
  readonly requests: Received[] = [];
  /** Statuses to answer, in order; 200 once they run out. `hang` never answers. */
  script: (number | 'hang')[] = [];
  delayMs = 0;
  private server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = this.script.shift() ?? 200;
      if (status === 'hang') return;
      setTimeout(() => response.writeHead(status).end('ok'), this.delayMs);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    listening.add(this);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/minjiang`;
  }

  async stop(): Promise<void> {
    if (!listening.delete(this)) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe.each(ENGINES)('webhook delivery on %s', (engine) => {
  let hub: TestHub;
  let receiver: Receiver;
  let url: string;
  beforeAll(async () => {
    hub = await buildTestHub(engine, {}, () => T0);
  });
  afterAll(async () => hub.close());
  afterEach(async () => {
    // Each test starts with no webhook and so no pending delivery: dispatch counts are its own.
    const { items } = (
      await hub.call(hub.tokens.admin, { method: 'GET', url: '/api/v1/webhooks' })
    ).json() as {
      items: { id: string }[];
    };
    for (const { id } of items)
      await hub.call(hub.tokens.admin, { method: 'DELETE', url: `/api/v1/webhooks/${id}` });
    for (const open of [...listening]) await open.stop();
  });

  async function webhook(events?: string[]): Promise<{ id: string; secret: string }> {
    receiver = new Receiver();
    url = await receiver.start();
    const payload = { url, ...(events ? { events } : {}) };
    const answer = await hub.call(hub.tokens.officer, { method: 'POST', url: '/api/v1/webhooks', payload });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json();
  }

  async function notify(times = 1): Promise<void> {
    const org = department('GAT', hub.config.hubCode).id;
    for (let n = 0; n < times; n += 1)
      await hub.app.hub.store.db.transaction().execute((trx) =>
        enqueueNotification(
          trx,
          hub.app.hub,
          {
            type: 'decision',
            subject: { kind: 'demand', id: `D-${n}`, state: 'ACCEPTED' },
            action: 'accept',
            orgs: [org],
            platform: false,
            next: { role: 'officer', org, deadline: '2026-12-08T15:59:59.999Z' },
          },
          T0,
        ),
      );
  }

  type Delivery = {
    id: string;
    status: string;
    attempts: number;
    nextAttemptAt: string;
    lastError?: string;
    deliveredAt?: string;
  };
  async function deliveries(id: string): Promise<Delivery[]> {
    const answer = await hub.call(hub.tokens.officer, {
      method: 'GET',
      url: `/api/v1/webhooks/${id}/deliveries`,
    });
    return (answer.json() as { items: Delivery[] }).items;
  }

  it('POSTs the notification signed with the secret shown at registration', async () => {
    const hook = await webhook();
    await notify();
    expect(await dispatchDue(hub.app.hub, T0)).toEqual({ sent: 1, failed: 0, retried: 0 });
    const [request] = receiver.requests;
    const [delivery] = await deliveries(hook.id);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'minjiang-event': 'demand.decision',
      'minjiang-delivery': delivery?.id,
    });
    const header = request?.headers['minjiang-signature'] as string;
    expect(header).toMatch(new RegExp(`^t=${T0.getTime() / 1000},v1=[0-9a-f]{64}$`));
    const body = request?.body ?? '';
    expect(verifyWebhookSignature({ body, header, secret: hook.secret, now: T0 })).toMatchObject({
      valid: true,
    });
    expect(verifyWebhookSignature({ body, header, secret: 'whsec_wrong', now: T0 }).valid).toBe(false);
    expect(JSON.parse(body)).toMatchObject({
      event: 'demand.decision',
      hub: hub.config.hubCode,
      type: 'decision',
      subject: { kind: 'demand', id: 'D-0', state: 'ACCEPTED' },
    });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: T0.toISOString() });
    expect(await dispatchDue(hub.app.hub, later(3_600_000))).toEqual({ sent: 0, failed: 0, retried: 0 });
  });

  it('retries a 500 after its back-off under the injected clock, then delivers', async () => {
    const hook = await webhook();
    receiver.script = [500];
    await notify();
    expect(await dispatchDue(hub.app.hub, T0)).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(await deliveries(hook.id)).toMatchObject([
      { status: 'pending', attempts: 1, lastError: 'HTTP 500', nextAttemptAt: later(5_000).toISOString() },
    ]);
    expect(await dispatchDue(hub.app.hub, later(4_999))).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await dispatchDue(hub.app.hub, later(5_000))).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(receiver.requests).toHaveLength(2);
    expect(await deliveries(hook.id)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
  });

  it(`fails a delivery after ${MAX_ATTEMPTS} failed attempts, waiting 5 s, 10 s, 20 s … in between`, async () => {
    const hook = await webhook();
    receiver.script = Array<number>(MAX_ATTEMPTS).fill(503);
    await notify();
    let at = T0.getTime();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const last = attempt === MAX_ATTEMPTS;
      expect(await dispatchDue(hub.app.hub, new Date(at))).toEqual({
        sent: 0,
        failed: last ? 1 : 0,
        retried: last ? 0 : 1,
      });
      at += retryDelayMs(attempt);
    }
    expect(retryDelayMs(1)).toBe(5_000);
    expect(retryDelayMs(9)).toBe(1_280_000);
    expect(retryDelayMs(20)).toBe(3_600_000);
    expect(receiver.requests).toHaveLength(MAX_ATTEMPTS);
    const [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastError: 'HTTP 503' });
    expect(JSON.stringify(delivery)).not.toContain(hook.secret);
    expect(await dispatchDue(hub.app.hub, later(86_400_000))).toEqual({ sent: 0, failed: 0, retried: 0 });
  });

  it('records a refused connection and a receiver that does not answer in time', async () => {
    const hook = await webhook();
    receiver.script = ['hang'];
    await notify();
    expect(await dispatchDue(hub.app.hub, T0, { timeoutMs: 200 })).toEqual({
      sent: 0,
      failed: 0,
      retried: 1,
    });
    expect((await deliveries(hook.id))[0]?.lastError).toBe('no answer within 200 ms');
    await receiver.stop();
    receiver = new Receiver();
    await receiver.start();
    expect(await dispatchDue(hub.app.hub, later(5_000))).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect((await deliveries(hook.id))[0]?.lastError).toMatch(/ECONNREFUSED/);
  });

  it('does not send the pending deliveries of a removed webhook', async () => {
    const removed = await webhook();
    await notify();
    await hub.call(hub.tokens.officer, { method: 'DELETE', url: `/api/v1/webhooks/${removed.id}` });
    expect(await dispatchDue(hub.app.hub, T0)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await deliveries(removed.id)).toMatchObject([{ status: 'failed', lastError: 'webhook removed' }]);
    await receiver.stop();
    // Disabled behind the dispatcher's back (another process, mid-removal): its row fails too.
    const disabled = await webhook();
    await notify();
    await hub.app.hub.store.db
      .updateTable('webhooks')
      .set({ disabled_at: T0.toISOString() })
      .where('id', '=', disabled.id)
      .execute();
    expect(await dispatchDue(hub.app.hub, T0)).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(await deliveries(disabled.id)).toMatchObject([
      { status: 'failed', attempts: 0, lastError: 'webhook removed' },
    ]);
    expect(receiver.requests).toHaveLength(0);
  });

  it('fails (and does not send) a row whose secret this hub key cannot open, and goes on with the others', async () => {
    const broken = await webhook();
    const good = await webhook();
    await notify();
    const sealed = 'v1:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA';
    await hub.app.hub.store.db
      .updateTable('webhooks')
      .set({ secret_enc: sealed })
      .where('id', '=', broken.id)
      .execute();
    expect(await dispatchDue(hub.app.hub, T0)).toEqual({ sent: 1, failed: 1, retried: 0 });
    const [failed] = await deliveries(broken.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.lastError).toMatch(/cannot be opened/);
    expect(await deliveries(good.id)).toMatchObject([{ status: 'delivered' }]);
  });

  it('sends each row exactly once when two hub processes dispatch the same database at once', async () => {
    await webhook();
    receiver.delayMs = 5;
    await notify(30);
    const { store } = hub.app.hub;
    // A second connection (pool) to the same database, as a second hub process would open.
    const second = await openDatabase(
      store.engine === 'postgres'
        ? { databaseUrl: store.location, dataDir: '' }
        : { dataDir: dirname(store.location) },
    );
    try {
      const other = { ...hub.app.hub, store: second };
      const results = await Promise.all([
        dispatchDue(hub.app.hub, T0),
        dispatchDue(other, T0),
        dispatchDue(hub.app.hub, T0, { limit: 10 }),
      ]);
      expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(30);
      const ids = receiver.requests.map((request) => request.headers['minjiang-delivery']);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    } finally {
      await second.close();
    }
  });
});
