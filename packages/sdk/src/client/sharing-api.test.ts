import { describe, expect, it } from 'vitest';
import { ConflictError, InternalServerError } from './errors.js';
import { HubClient } from './hub-client.js';
import type { Application, ApplicationState } from './sharing-types.js';
import type { FetchLike } from './transport.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

const ID = 'urn:ses:app:350000:2026:7';
const ENCODED = 'urn%3Ases%3Aapp%3A350000%3A2026%3A7';
const GRANT = 'urn:ses:grant:350000:2026:3';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function application(state: ApplicationState): Application {
  return { id: ID, state } as Application;
}

/** A stand-in hub: records every request and answers with `answer(sent)`. */
function fakeHub(answer: (sent: Sent) => Response = () => json(200, application('PRECHECK'))) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Sent['body']) : undefined;
    const request = {
      url,
      method: String(init.method),
      headers: init.headers as Record<string, string>,
      body,
    };
    sent.push(request);
    return answer(request);
  };
  const client = new HubClient({ baseURL: 'http://hub.test/', token: 't', fetch, sleep: async () => {} });
  return { sent, client };
}

describe('SharingApi transitions', () => {
  it('posts to the encoded id’s action with a fresh message id, also sent as the idempotency key', async () => {
    const { client, sent } = fakeHub();
    await client.sharing.approve(ID, { expectedState: 'PRECHECK' });
    await client.sharing.approve(ID);
    expect(sent[0]?.url).toBe(`http://hub.test/api/v1/applications/${ENCODED}/approve`);
    expect(sent[0]?.method).toBe('POST');
    const ids = sent.map((s) => s.body?.messageId);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(sent[0]?.headers['idempotency-key']).toBe(ids[0]);
    expect(sent[0]?.body).toMatchObject({ expectedState: 'PRECHECK' });
    expect(sent[1]?.body).not.toHaveProperty('expectedState');
  });

  it('keeps a message id the caller gives, so a retried message is recorded once', async () => {
    const { client, sent } = fakeHub();
    await client.sharing.reject(ID, { reason: '用途不明确', messageId: 'm-1' });
    expect(sent[0]?.body).toEqual({ reason: '用途不明确', messageId: 'm-1' });
  });

  it('sends each action to its own route, with its body', async () => {
    const { client, sent } = fakeHub();
    const offer = {
      items: ['姓名'],
      masking: 'MP-STD-01',
      quota: { perDay: 100 },
      period: { from: '2026-01-01', to: '2026-06-30' },
      mode: 'API' as const,
    };
    await client.sharing.submit(ID);
    await client.sharing.offer(ID, offer);
    await client.sharing.accept(ID, { offerId: 'o1', offerDigest: 'sm3:ab' });
    await client.sharing.escalate(ID, { reason: 'r' });
    await client.sharing.withdraw(ID);
    await client.sharing.suspend(ID, { reason: 'r' });
    await client.sharing.resume(ID);
    await client.sharing.revoke(ID, { reason: 'r' });
    expect(sent.map((s) => s.url.split('/').at(-1))).toEqual([
      'submit',
      'offer',
      'accept',
      'escalate',
      'withdraw',
      'suspend',
      'resume',
      'revoke',
    ]);
    expect(sent[1]?.body).toMatchObject(offer);
    expect(sent[2]?.body).toMatchObject({ offerId: 'o1', offerDigest: 'sm3:ab' });
    expect(sent.every((s) => typeof s.body?.messageId === 'string')).toBe(true);
  });

  it('types the hub’s 409 for a step not allowed now, with its details', async () => {
    const { client } = fakeHub(() =>
      json(409, {
        code: 'HUB_ERR_WORKFLOW_STATE',
        message: 'no',
        details: { currentState: 'APPROVED', allowed: ['revoke'] },
      }),
    );
    const error = await client.sharing.withdraw(ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('HUB_ERR_WORKFLOW_STATE');
  });
});

describe('SharingApi reads', () => {
  it('creates an application with the body as given', async () => {
    const { client, sent } = fakeHub(() => json(201, application('PRECHECK')));
    await client.sharing.createApplication({ resourceCode: '3350010001/000001', submit: false } as never);
    expect(sent[0]).toMatchObject({ url: 'http://hub.test/api/v1/applications', method: 'POST' });
    expect(sent[0]?.body).toEqual({ resourceCode: '3350010001/000001', submit: false });
  });

  it('lists page after page with the cursor, keeping the query', async () => {
    const { client, sent } = fakeHub((s) =>
      s.url.includes('cursor=c2')
        ? json(200, { items: [application('OFFERED')] })
        : json(200, { items: [application('PRECHECK'), application('DRAFT')], next: 'c2' }),
    );
    const states: string[] = [];
    for await (const app of client.sharing.listApplications({ as: 'provider', state: 'PRECHECK' }))
      states.push(app.state);
    expect(states).toEqual(['PRECHECK', 'DRAFT', 'OFFERED']);
    expect(sent.map((s) => new URL(s.url).search)).toEqual([
      '?as=provider&state=PRECHECK',
      '?as=provider&state=PRECHECK&cursor=c2',
    ]);
  });

  it('encodes ids in the application, document, grant and credential paths', async () => {
    const { client, sent } = fakeHub(() => json(200, { items: [] }));
    await client.sharing.getApplication(ID);
    await client.sharing.getApplicationDocument(ID);
    await client.sharing.getGrant(GRANT);
    await client.sharing.listCredentials(GRANT);
    await client.sharing.revokeCredential(GRANT, 'ak_01');
    const g = 'urn%3Ases%3Agrant%3A350000%3A2026%3A3';
    expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
      `GET /api/v1/applications/${ENCODED}`,
      `GET /api/v1/applications/${ENCODED}/document`,
      `GET /api/v1/grants/${g}`,
      `GET /api/v1/grants/${g}/credentials`,
      `DELETE /api/v1/grants/${g}/credentials/ak_01`,
    ]);
  });

  it('issues a credential once: rotate only when asked, and never retried (a retry could mint an unseen secret)', async () => {
    const { client, sent } = fakeHub(() => json(503, { code: 'HUB_ERR_UNAVAILABLE' }));
    await expect(client.sharing.issueCredential(GRANT, { rotate: true })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({ rotate: true });
    const ok = fakeHub(() => json(201, { appKey: 'ak', secret: 's', grant: GRANT, createdAt: 'x' }));
    await ok.client.sharing.issueCredential(GRANT);
    expect(ok.sent[0]?.body).toEqual({});
  });
});

describe('SharingApi.waitForDecision', () => {
  /** A hub whose application moves through `states`, one per read, then stays. */
  function sequence(states: ApplicationState[]) {
    let read = 0;
    return fakeHub(() => json(200, application(states[Math.min(read++, states.length - 1)]!)));
  }

  it('is approved once the application is APPROVED or ACTIVE', async () => {
    const { client } = sequence(['PRECHECK', 'PROVIDER_REVIEW', 'ACTIVE']);
    const wait = await client.sharing.waitForDecision(ID, { intervalMs: 1, sleep: async () => {} });
    expect(wait).toMatchObject({ outcome: 'approved', polls: 3 });
    expect(wait.application.state).toBe('ACTIVE');
  });

  it('is refused on REJECTED, WITHDRAWN, EXPIRED or REVOKED', async () => {
    for (const state of ['REJECTED', 'WITHDRAWN', 'EXPIRED', 'REVOKED'] as const) {
      const { client } = sequence(['OFFERED', state]);
      const wait = await client.sharing.waitForDecision(ID, { sleep: async () => {} });
      expect(wait.outcome).toBe('refused');
    }
  });

  it('is pending when the time runs out, having slept no longer than what was left', async () => {
    const { client } = sequence(['PROVIDER_REVIEW']);
    let clock = 0;
    const slept: number[] = [];
    const wait = await client.sharing.waitForDecision(ID, {
      timeoutMs: 12_000,
      intervalMs: 5000,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    expect(wait).toMatchObject({ outcome: 'pending', polls: 4 });
    expect(slept).toEqual([5000, 5000, 2000]);
  });

  it('stops at once when aborted', async () => {
    const { client } = sequence(['PRECHECK']);
    const controller = new AbortController();
    controller.abort();
    const wait = await client.sharing.waitForDecision(ID, { signal: controller.signal });
    expect(wait).toMatchObject({ outcome: 'pending', polls: 1 });
  });
});
