import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  HubConnectionError,
  HubTimeoutError,
  InternalServerError,
  UnprocessableEntityError,
} from './errors.js';
import { encodePath, HubClient } from './hub-client.js';
import { retryDelay, type FetchLike } from './transport.js';

const TOKEN = 'mj_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that answers from a script and records what it was asked. */
function scripted(...answers: (Response | Error)[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, init });
    const answer = answers.shift();
    if (!answer) throw new Error('no more scripted answers');
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function client(fetch: FetchLike, sleeps: number[] = []) {
  return new HubClient({
    baseURL: 'http://127.0.0.1:8750',
    token: TOKEN,
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
  });
}

describe('HubClient', () => {
  it('maps a 422 to UnprocessableEntityError with the issues, and keeps no credential', async () => {
    const { fetch } = scripted(
      json(422, {
        code: 'HUB_ERR_VALIDATION',
        message: '提交的内容不符合标准',
        requestId: 'r1',
        issues: [{ code: 'CAT-001', severity: 'error', location: '/sharing/condition', message: 'm' }],
      }),
    );
    const error = await client(fetch)
      .putResource({ code: '3350010001/000001' } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error).toMatchObject({
      status: 422,
      code: 'HUB_ERR_VALIDATION',
      requestId: 'r1',
      issues: [{ code: 'CAT-001' }],
    });
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect((error as UnprocessableEntityError).request.headers.authorization).toBe('[redacted]');
  });

  it('retries a 503 with the same idempotency key, honouring Retry-After, then succeeds', async () => {
    const sleeps: number[] = [];
    const { fetch, calls } = scripted(
      json(503, { code: 'HUB_ERR_AUDIT_UNAVAILABLE' }, { 'retry-after': '2' }),
      json(503, {}),
      json(200, { ok: true }),
    );
    const answer = await client(fetch, sleeps).putResource({ code: '3350010001/000001' } as never);
    expect(answer.status).toBe(200);
    expect(calls).toHaveLength(3);
    const keys = calls.map((call) => (call.init.headers as Record<string, string>)['idempotency-key']);
    expect(new Set(keys).size).toBe(1);
    expect(sleeps[0]).toBe(2000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(750);
  });

  it('gives up after maxRetries with the last error', async () => {
    const { fetch, calls } = scripted(json(500, {}), json(500, {}), json(500, {}));
    await expect(client(fetch).version()).rejects.toBeInstanceOf(InternalServerError);
    expect(calls).toHaveLength(3);
  });

  it('does not retry a state conflict or a validation error', async () => {
    const { fetch, calls } = scripted(json(409, { code: 'HUB_ERR_CONFLICT' }));
    await expect(client(fetch).putResource({ code: '1' } as never)).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toHaveLength(1);
  });

  it('turns a refused connection into HubConnectionError, after retrying', async () => {
    const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { fetch, calls } = scripted(refused(), refused(), refused());
    await expect(client(fetch).version()).rejects.toBeInstanceOf(HubConnectionError);
    expect(calls).toHaveLength(3);
  });

  it('times out a hub that does not answer', async () => {
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const slow = new HubClient({ baseURL: 'http://127.0.0.1:1', fetch: hang, timeout: 20, maxRetries: 0 });
    await expect(slow.version()).rejects.toBeInstanceOf(HubTimeoutError);
  });

  it('pages through a list with the cursor the hub returns', async () => {
    const { fetch, calls } = scripted(
      json(200, { items: [{ code: 'a' }, { code: 'b' }], next: 'c1' }),
      json(200, { items: [{ code: 'c' }], next: null }),
    );
    const codes: string[] = [];
    for await (const item of client(fetch).listResources({ q: '户籍', limit: 2 })) codes.push(item.code);
    expect(codes).toEqual(['a', 'b', 'c']);
    expect(new URL(calls[1]?.url ?? '').searchParams.get('cursor')).toBe('c1');
    expect(new URL(calls[0]?.url ?? '').searchParams.get('q')).toBe('户籍');
  });

  it('refuses a hub without the capabilities a command needs', async () => {
    const { fetch } = scripted(
      json(200, {
        version: '1.0.0',
        apiVersion: 'v1',
        hub: { code: '350000', role: 'province' },
        capabilities: ['catalog'],
      }),
    );
    await expect(client(fetch).requireCapabilities('catalog', 'audit')).rejects.toMatchObject({
      code: 'HUB-INCOMPATIBLE',
    });
  });

  it('encodes path parameters, so a resource code keeps its slash inside one segment', () => {
    expect(encodePath`/api/v1/catalog/resources/${'3350010001/000001'}`).toBe(
      '/api/v1/catalog/resources/3350010001%2F000001',
    );
  });

  it('backs off from 0.5 s, doubling to at most 8 s, and takes Retry-After in seconds or as a date', () => {
    expect(retryDelay(1, null)).toBeLessThanOrEqual(500);
    expect(retryDelay(1, null)).toBeGreaterThan(370);
    expect(retryDelay(10, null)).toBeLessThanOrEqual(8000);
    expect(retryDelay(1, '3')).toBe(3000);
    expect(retryDelay(1, new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
  });
});
