/**
 * The SDK of a consumer at city A calling its own hub under a grant issued by city B: the calls
 * are relayed A → province → B on loopback (docs/cascade-relay.md) and the SDK needs nothing but
 * its own hub's URL and the grant's SM2 credential. The package it downloads is signed by B and
 * verifies offline with B's key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExchangeClient, ExchangeError } from '@minjiang/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../packages/hub/test-utils/hub.js';
import {
  CALL_TIME,
  CITY_B,
  CONSUMER,
  PURPOSE,
  relayHubs,
  type RelayGrant,
  type RelayHubs,
} from '../../packages/hub/test-utils/relay.js';

describe.each(ENGINES)('the SDK at city A under a grant of city B (%s)', (engine) => {
  let hubs: RelayHubs;
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-sdk-relay-'));
  const clients: ExchangeClient[] = [];
  const clientFor = (grant: RelayGrant) => {
    const client = new ExchangeClient({
      baseURL: hubs.url.cityA,
      client: CONSUMER,
      grant: grant.grant,
      purpose: PURPOSE,
      service: grant.service,
      appKey: grant.appKey,
      privateKey: grant.privateKey,
      user: '林晓',
      now: () => CALL_TIME,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    hubs = await relayHubs(engine);
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) await client.close();
    await hubs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queries and verifies through its own hub, answered masked as B granted', async () => {
    const client = clientFor(hubs.api);
    const id = hubs.cityB.rows[0]![0]!;
    const page = await client.query({ conditions: { GMSFHM: id } });
    expect(page.rows).toEqual([
      { GMSFHM: `${id.slice(0, 6)}********${id.slice(-4)}`, XM: '测**', CSRQ: '1980-01-02', HJDQH: '350102' },
    ]);
    expect(page.meta).toMatchObject({ grant: hubs.api.grant, masking: 'MP-STD-01' });
    const refused = await client
      .query({ conditions: { GMSFHM: id }, fields: ['XB'] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ExchangeError);
    expect(refused).toMatchObject({ code: 'HUB.FIELD_NOT_GRANTED', status: 403, hop: CITY_B });
  });

  it('builds and downloads a package of B that verifies with B’s key', async () => {
    const items = ['公民身份号码', '姓名', '户籍地行政区划'];
    const grant = await hubs.cityB.grant(
      { items, mode: 'PACKAGE' },
      { rowFilter: '户籍地行政区划 = 350103' },
    );
    const client = clientFor(grant);
    const built = await client.buildPackage();
    expect(built).toMatchObject({ rows: 2 });
    const downloaded = await client.downloadPackage(built.id, join(dir, 'b.ses.zip'), {
      publicKeys: [hubs.cityB.app.hub.key.publicKey],
    });
    expect(downloaded.verification).toMatchObject({ ok: true, rows: 2, digest: built.digest });
    // A package of B does not verify with A's key: the consumer needs the key of the grant's hub.
    const withA = await client.downloadPackage(built.id, join(dir, 'a.ses.zip'), {
      publicKeys: [hubs.cityA.app.hub.key.publicKey],
    });
    expect(withA.verification.ok).toBe(false);
    expect(built.id).toContain(CITY_B);
  });
});
