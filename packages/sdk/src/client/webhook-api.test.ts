import { signWebhook } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../index.js';
import { HubClient } from './hub-client.js';
import type { FetchLike } from './transport.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function stubHub(answer: (url: URL, init: RequestInit) => Response) {
  const sent: { method: string; url: URL; body?: unknown }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const parsed = new URL(url);
    sent.push({
      method: String(init.method),
      url: parsed,
      ...(init.body ? { body: JSON.parse(init.body as string) } : {}),
    });
    return answer(parsed, init);
  };
  return { sent, client: new HubClient({ baseURL: 'http://hub.test/', token: 't', fetch, maxRetries: 2 }) };
}

describe('client.webhooks', () => {
  it('registers once, without retrying (a lost answer must not leave a webhook nobody has the secret of)', async () => {
    const { client, sent } = stubHub(() => json(503, { code: 'HUB_ERR_INTERNAL', message: 'down' }));
    await expect(
      client.webhooks.register({ url: 'https://r.example/h', events: ['demand.decision'] }),
    ).rejects.toThrow();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      body: { url: 'https://r.example/h', events: ['demand.decision'] },
    });
  });

  it('pages through webhooks and deliveries with the cursor, and escapes ids in paths', async () => {
    const { client, sent } = stubHub((url) => {
      const cursor = url.searchParams.get('cursor');
      return json(200, cursor ? { items: [{ id: 'b' }] } : { items: [{ id: 'a' }], next: 'c1' });
    });
    const ids: string[] = [];
    for await (const hook of client.webhooks.list({ limit: 1 })) ids.push(hook.id);
    for await (const delivery of client.webhooks.deliveries('wh/1', { status: 'failed' }))
      ids.push(delivery.id);
    expect(ids).toEqual(['a', 'b', 'a', 'b']);
    expect(sent.map((request) => `${request.method} ${request.url.pathname}${request.url.search}`)).toEqual([
      'GET /api/v1/webhooks?limit=1',
      'GET /api/v1/webhooks?limit=1&cursor=c1',
      'GET /api/v1/webhooks/wh%2F1/deliveries?status=failed',
      'GET /api/v1/webhooks/wh%2F1/deliveries?status=failed&cursor=c1',
    ]);
  });

  it('removes with DELETE', async () => {
    const { client, sent } = stubHub(() => json(200, { id: 'wh_1', disabledAt: '2026-12-01T00:00:00.000Z' }));
    expect(await client.webhooks.remove('wh_1')).toMatchObject({ id: 'wh_1' });
    expect(sent[0]).toMatchObject({ method: 'DELETE' });
  });

  it('re-exports the receivers’ signature check', () => {
    const header = signWebhook('whsec_x', '{}', 1_790_000_000);
    const now = new Date(1_790_000_000_000);
    expect(verifyWebhookSignature({ body: '{}', header, secret: 'whsec_x', now }).valid).toBe(true);
  });
});
