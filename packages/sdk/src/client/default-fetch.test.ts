import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from './hub-client.js';

describe('the default fetch', () => {
  let server: Server;
  let baseURL: string;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ keyId: 'k', algorithm: 'sm2-sm3', publicKey: request.headers.authorization }),
      );
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is undici over a keep-alive agent: a couple of connections for many requests', async () => {
    const client = new HubClient({ baseURL, token: 'secret' });
    for (let i = 0; i < 20; i += 1) expect((await client.hubKey()).publicKey).toBe('Bearer secret');
    // undici may open a second socket while the first is being handed back; never one per request.
    expect(connections).toBeLessThanOrEqual(2);
    await client.close();
  });
});
