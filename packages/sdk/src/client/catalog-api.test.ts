import { describe, expect, it } from 'vitest';
import { ConflictError } from './errors.js';
import { HubClient } from './hub-client.js';
import type { FetchLike } from './transport.js';
import type { BatchAnswer } from './types.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: { entries?: { code: string }[]; conditions?: Record<string, unknown> } | undefined;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A stand-in batch route: accepts up to `limit` entries, else answers 413 as the hub does. */
function batchHub(limit: number) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    const body = init.body ? (JSON.parse(init.body as string) as Sent['body']) : undefined;
    sent.push({ url, method: String(init.method), headers: init.headers as Record<string, string>, body });
    const entries = body?.entries ?? [];
    if (entries.length > limit) return json(413, { code: 'HUB_ERR_BATCH_TOO_LARGE' });
    const answer: BatchAnswer = {
      summary: { created: entries.length, updated: 0, unchanged: 0, failed: 0 },
      items: entries.map((entry, index) => ({ index, code: entry.code, result: 'created', version: 1 })),
    };
    return json(200, answer);
  };
  return { sent, client: new HubClient({ baseURL: 'http://hub.test/', token: 't', fetch }) };
}

const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ code: `3350010001/${100 + i}` })) as never[];

describe('HubClient.batchResources', () => {
  it('sends requests of batchSize entries, numbers their idempotency keys, and indexes results by input', async () => {
    const { client, sent } = batchHub(100);
    const result = await client.batchResources(entries(5), { batchSize: 2, idempotencyKey: 'run-1' });
    expect(sent.map((s) => s.body?.entries?.length)).toEqual([2, 2, 1]);
    expect(sent.map((s) => s.headers['idempotency-key'])).toEqual(['run-1.0', 'run-1.1', 'run-1.2']);
    expect(result.items.map((item) => item.index)).toEqual([0, 1, 2, 3, 4]);
    expect(result.summary.created).toBe(5);
    expect(result.requests.map((r) => r.codes.length)).toEqual([2, 2, 1]);
  });

  it('splits a request the hub finds too large, until it fits', async () => {
    const { client, sent } = batchHub(2);
    const result = await client.batchResources(entries(5), { idempotencyKey: 'k' });
    expect(sent.map((s) => s.body?.entries?.length)).toEqual([5, 3, 2, 1, 2]);
    expect(sent.slice(1).map((s) => s.headers['idempotency-key'])).toEqual(['k.a', 'k.a.a', 'k.a.b', 'k.b']);
    expect(result.items.map((item) => [item.index, item.code])).toEqual(
      entries(5).map((entry: { code: string }, index) => [index, entry.code]),
    );
  });

  it('sends to each request only the conditions of its own entries', async () => {
    const { client, sent } = batchHub(100);
    const [a, b, c] = entries(3) as { code: string }[];
    await client.batchResources(entries(3), {
      batchSize: 2,
      conditions: { [a?.code ?? '']: { ifMatch: '"1-a"' }, [c?.code ?? '']: { ifNoneMatch: '*' } },
    });
    expect(sent.map((s) => s.body?.conditions)).toEqual([
      { [a?.code ?? '']: { ifMatch: '"1-a"' } },
      { [c?.code ?? '']: { ifNoneMatch: '*' } },
    ]);
    expect(b).toBeDefined();
  });
});

describe('HubClient review transitions', () => {
  it('posts to the resource’s action with If-Match and a body, and types a 409', async () => {
    const sent: Sent[] = [];
    const fetch: FetchLike = async (url, init) => {
      sent.push({
        url,
        method: String(init.method),
        headers: init.headers as Record<string, string>,
        body: JSON.parse(init.body as string) as Sent['body'],
      });
      return json(409, { code: 'HUB_ERR_CONFLICT', message: '状态不允许' });
    };
    const client = new HubClient({ baseURL: 'http://hub.test', token: 't', fetch });
    await expect(
      client.withdrawResource('3350010001/000001', { reason: '过时' }, { ifMatch: '"2-ab"' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(sent[0]).toMatchObject({
      url: 'http://hub.test/api/v1/catalog/resources/3350010001%2F000001:withdraw',
      method: 'POST',
      headers: { 'if-match': '"2-ab"' },
      body: { reason: '过时' },
    });
  });
});
