import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsPlugin } from './errors.js';

describe('error handler', () => {
  const app = Fastify();
  beforeAll(async () => {
    // The handler reads only the limits from the hub's context.
    await app.register(
      fp(
        async (instance) => {
          instance.decorate('hub', { config: { batchLimit: 10, bodyLimit: 1024 } } as never);
        },
        { name: 'minjiang-store' },
      ),
    );
    await app.register(errorsPlugin);
    app.get('/stored', async () => JSON.parse('{"stored": ') as unknown);
    app.post('/echo', async (request) => request.body);
    await app.ready();
  });
  afterAll(async () => app.close());

  it('answers malformed JSON from the caller with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: '{"a": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'HUB_ERR_BAD_REQUEST' });
  });

  it('answers the hub’s own failure to parse stored JSON with 500, saying nothing of it', async () => {
    const response = await app.inject({ method: 'GET', url: '/stored' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ code: 'HUB_ERR_INTERNAL' });
    expect(response.body).not.toContain('JSON');
  });
});
