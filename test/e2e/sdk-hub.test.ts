import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, initialiseHub, loadConfig } from '@minjiang/hub';
import { AuthenticationError, HubClient, PreconditionFailedError } from '@minjiang/sdk';
import { codeTable, type CatalogResource } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FULL = JSON.parse(
  readFileSync(new URL('../../fixtures/catalog-resource/valid/full.json', import.meta.url), 'utf8'),
) as CatalogResource;
const GAT = codeTable('fujian-departments').data.find((row) => row.code === 'GAT');

function entry(n: number): CatalogResource {
  return {
    ...structuredClone(FULL),
    code: `3350010001/${String(n).padStart(6, '0')}`,
    name: `户籍信息${n}`,
    provider: { name: String(GAT?.label), uscc: String(GAT?.uscc), regionCode: '350000' },
    relatedResources: [],
  };
}

describe('the SDK against a hub on loopback', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-sdk-e2e-'));
  let server: FastifyInstance;
  let client: HubClient;
  let baseURL: string;

  beforeAll(async () => {
    server = await createServer(loadConfig({ dataDir, logLevel: 'silent', databaseUrl: '' }, {}));
    await server.ready();
    const init = await initialiseHub(server);
    baseURL = await server.listen({ host: '127.0.0.1', port: 0 });
    client = new HubClient({ baseURL, token: init.adminToken?.token });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('checks the hub’s capabilities', async () => {
    const version = await client.requireCapabilities('catalog', 'audit');
    expect(version.hub).toEqual({ code: '350000', role: 'province' });
  });

  it('writes through the typed client and reads everything back across pages', async () => {
    for (let n = 1; n <= 5; n += 1) expect((await client.putResource(entry(n))).status).toBe(201);
    const codes: string[] = [];
    for await (const item of client.listResources({ q: '户籍', limit: 2 })) codes.push(item.code);
    expect(codes).toEqual([1, 2, 3, 4, 5].map((n) => entry(n).code));
  });

  it('surfaces a stale ETag and a bad token as typed errors', async () => {
    await expect(
      client.putResource({ ...entry(1), summary: '改过的摘要' }, { ifMatch: '"9-0000000000000000"' }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    const stranger = new HubClient({ baseURL, token: 'mj_0000000000000000_' + 'A'.repeat(43) });
    await expect(stranger.listResources().next()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('asks for the hub’s messages in the client’s language', async () => {
    const bad = 'mj_0000000000000000_' + 'A'.repeat(43);
    const messageIn = async (lang?: 'en') => {
      const error = await new HubClient({ baseURL, token: bad, ...(lang ? { lang } : {}) })
        .listResources()
        .next()
        .catch((caught: unknown) => caught as AuthenticationError);
      return (error as AuthenticationError).message;
    };
    expect(await messageIn()).toMatch(/[\u4e00-\u9fff]/);
    expect(await messageIn('en')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
