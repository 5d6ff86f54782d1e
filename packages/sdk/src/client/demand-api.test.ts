import { describe, expect, it } from 'vitest';
import { HubClient } from './hub-client.js';
import type { FetchLike } from './transport.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A stand-in hub that records requests and answers each with a demand (or a page of them). */
function fakeHub(pages: { items: { id: string }[]; next?: string }[] = []) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    const body = init.body ? (JSON.parse(init.body as string) as Record<string, unknown>) : undefined;
    sent.push({ url, method: String(init.method), headers: init.headers as Record<string, string>, body });
    if (init.method === 'GET' && new URL(url).pathname === '/api/v1/demands') return json(200, pages.shift());
    return json(200, { id: 'urn:ses:demand:350000:2026:1', state: 'CLAIMED' });
  };
  return { sent, client: new HubClient({ baseURL: 'http://hub.test/', token: 't', fetch }) };
}

describe('HubClient.demands', () => {
  it('sends a fresh messageId with every transition, also as the idempotency key', async () => {
    const { client, sent } = fakeHub();
    await client.demands.claim('urn:ses:demand:350000:2026:1');
    await client.demands.claim('urn:ses:demand:350000:2026:1', { expectedState: 'ROUTED' });
    await client.demands.decline('urn:ses:demand:350000:2026:1', { reason: '无此数据', messageId: 'm-1' });
    const ids = sent.map((request) => request.body?.messageId);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(ids[2]).toBe('m-1');
    expect(sent.map((request) => request.headers['idempotency-key'])).toEqual(ids);
    expect(sent[0]?.url).toBe('http://hub.test/api/v1/demands/urn%3Ases%3Ademand%3A350000%3A2026%3A1/claim');
    expect(sent[1]?.body).toMatchObject({ expectedState: 'ROUTED' });
    expect(sent[2]?.body).toMatchObject({ reason: '无此数据' });
  });

  it('lists page after page with the cursor the hub gave', async () => {
    const { client, sent } = fakeHub([
      { items: [{ id: 'a' }, { id: 'b' }], next: 'c1' },
      { items: [{ id: 'c' }] },
    ]);
    const ids: string[] = [];
    for await (const demand of client.demands.list({ as: 'provider', state: 'ROUTED' })) ids.push(demand.id);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(new URL(sent[1]!.url).searchParams.get('cursor')).toBe('c1');
    expect(new URL(sent[0]!.url).searchParams.get('as')).toBe('provider');
  });
});
