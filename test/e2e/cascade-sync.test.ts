/**
 * Cascade sync end to end (issue 8, docs/cascade-api.md "Sync"): a province and two city hubs on
 * loopback, each with its own data (Xiamen on PostgreSQL when MINJIANG_TEST_DATABASE_URL is set),
 * their node keys pinned as after approval; the province's admin syncs with the built CLI
 * `minjiang cascade sync`. The cities' feeds travel signed over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityEntry } from '../../packages/hub/test-utils/cascade.js';
import { resourceCode } from '../../packages/hub/test-utils/catalog.js';
import {
  cuttingProxy,
  entriesAt,
  pointChildAt,
  publish,
  withdraw,
  type CascadeHub,
} from './cascade-harness.js';
import { FUZHOU, startThreeHubs, XIAMEN, type ThreeHubs } from './cascade-world.js';
import { assertSchema, runCli, type CliRun } from './cli-harness.js';

interface Summary {
  applied: boolean;
  counts: Record<string, number>;
  removals: number;
  cursor: { previous: number; next: number };
  head: number;
  blocked: { removals: number; live: number } | null;
  error: { code: string } | null;
}

describe('cascade sync: a province and two cities on loopback', () => {
  let province: CascadeHub;
  let fuzhou: CascadeHub;
  let xiamen: CascadeHub;
  let hubs: ThreeHubs;

  /** `minjiang cascade sync <city> --json` as the province's admin; the result checked against its schema. */
  async function sync(city: string, ...flags: string[]): Promise<CliRun & { summary: Summary }> {
    const run = await runCli(['cascade', 'sync', city, '--json', '--hub', province.url, ...flags], {
      env: { MINJIANG_TOKEN: province.adminToken },
    });
    assertSchema('cascade-sync', run.json);
    return { ...run, summary: run.json as Summary };
  }

  beforeAll(async () => {
    // The cities do not nudge: these tests pull with the CLI alone (cascade-nudge.test.ts pushes).
    hubs = await startThreeHubs({ province: { cascadeFeedPageSize: 2 } });
    ({ province, fuzhou, xiamen } = hubs);
  }, 60_000);

  afterAll(async () => {
    await hubs?.dispose();
  });

  it('copies each city’s published catalog on the first sync', async () => {
    for (const n of [1, 2, 3, 4]) await publish(fuzhou, cityEntry(n, {}, FUZHOU));
    for (const n of [1, 2]) await publish(xiamen, cityEntry(n, {}, XIAMEN));
    const first = await sync(FUZHOU);
    expect(first.status, first.stderr).toBe(0);
    expect(first.summary).toMatchObject({
      applied: true,
      counts: { create: 4 },
      cursor: { previous: 0, next: 4 },
    });
    const second = await sync(XIAMEN);
    expect(second.status, second.stderr).toBe(0);
    expect(second.summary).toMatchObject({ applied: true, counts: { create: 2 } });
    expect(await entriesAt(province, FUZHOU)).toEqual(
      Object.fromEntries([1, 2, 3, 4].map((n) => [resourceCode(n), 'live v1'])),
    );
    expect(Object.keys(await entriesAt(province, XIAMEN))).toEqual([resourceCode(1), resourceCode(2)]);
  });

  it('propagates an update and a withdrawal (tombstone), once', async () => {
    await publish(fuzhou, cityEntry(1, { name: '市场主体登记信息（修订）' }, FUZHOU));
    await withdraw(fuzhou, resourceCode(2));
    const run = await sync(FUZHOU);
    expect(run.status, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ counts: { update: 1, tombstone: 1 }, removals: 1 });
    const replay = await sync(FUZHOU);
    expect(replay.summary).toMatchObject({ counts: { create: 0, update: 0, tombstone: 0 } });
    expect(await entriesAt(province, FUZHOU)).toMatchObject({
      [resourceCode(1)]: 'live v2',
      [resourceCode(2)]: 'tombstone v2',
    });
  });

  it('finds the cities’ live entries in the province’s catalog search with --federated, with their origin', async () => {
    const search = (...args: string[]) =>
      runCli(['catalog', 'search', '修订', '--json', '--hub', province.url, ...args], {
        env: { MINJIANG_TOKEN: province.adminToken },
      });
    const own = await search();
    expect(own.status, own.stderr).toBe(0);
    expect((own.json as { items: unknown[] }).items).toEqual([]);
    const federated = await search('--federated');
    expect(federated.status, federated.stderr).toBe(0);
    assertSchema('catalog-search', federated.json);
    expect((federated.json as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ code: resourceCode(1), origin: FUZHOU, version: 2, status: 'published' }),
    ]);
  });

  it('records a city that is down, deletes nothing, and catches up without loss or doubles', async () => {
    await publish(fuzhou, cityEntry(5, {}, FUZHOU));
    const before = await entriesAt(province, FUZHOU);
    await fuzhou.stop();
    const down = await sync(FUZHOU);
    expect(down.status).toBe(6);
    expect(down.summary).toMatchObject({ applied: false, error: { code: 'HUB_ERR_CASCADE_UNREACHABLE' } });
    expect(await entriesAt(province, FUZHOU)).toEqual(before);
    await fuzhou.start();
    const back = await sync(FUZHOU);
    expect(back.status, back.stderr).toBe(0);
    expect(back.summary).toMatchObject({ applied: true, counts: { create: 1 }, error: null });
    expect(back.summary.cursor.next).toBe(back.summary.head);
    const after = await entriesAt(province, FUZHOU);
    expect(Object.keys(after)).toEqual([1, 2, 3, 4, 5].map(resourceCode));
    expect(after[resourceCode(5)]).toBe('live v1');
  });

  it('removes nothing when a full listing is cut off', async () => {
    const before = await entriesAt(province, FUZHOU);
    const proxy = await cuttingProxy(fuzhou.url, 1);
    await pointChildAt(province, FUZHOU, proxy.url);
    try {
      const cut = await sync(FUZHOU, '--full');
      expect(cut.status).toBe(6);
      expect(cut.summary).toMatchObject({ removals: 0, error: { code: 'HUB_ERR_CASCADE_UNREACHABLE' } });
    } finally {
      proxy.server.close();
      await pointChildAt(province, FUZHOU, fuzhou.url);
    }
    expect(await entriesAt(province, FUZHOU)).toEqual(before);
    const full = await sync(FUZHOU, '--full');
    expect(full.status, full.stderr).toBe(0);
    expect(full.summary).toMatchObject({ applied: true, removals: 0 });
  });

  it('stops a mass delete until the admin confirms it', async () => {
    for (const n of [1, 3, 4]) await withdraw(fuzhou, resourceCode(n));
    const blocked = await sync(FUZHOU);
    expect(blocked.status).toBe(7);
    expect(blocked.summary).toMatchObject({ applied: false, blocked: { removals: 3, live: 4 } });
    expect(await entriesAt(province, FUZHOU)).toMatchObject({ [resourceCode(1)]: 'live v2' });
    const text = await runCli(['cascade', 'sync', FUZHOU, '--hub', province.url, '--lang', 'en'], {
      env: { MINJIANG_TOKEN: province.adminToken },
    });
    expect(text.status).toBe(7);
    expect(text.stdout).toContain(`minjiang cascade sync ${FUZHOU} --confirm`);
    const confirmed = await sync(FUZHOU, '--confirm');
    expect(confirmed.status, confirmed.stderr).toBe(0);
    expect(confirmed.summary).toMatchObject({ applied: true, removals: 3, counts: { tombstone: 3 } });
    const live = Object.entries(await entriesAt(province, FUZHOU)).filter(([, state]) =>
      state.startsWith('live'),
    );
    expect(live.map(([code]) => code)).toEqual([resourceCode(5)]);
    // The other city was never touched.
    expect(Object.values(await entriesAt(province, XIAMEN))).toEqual(['live v1', 'live v1']);
  });

  it('refuses other roles and unknown children with their exit codes', async () => {
    const officer = await runCli(['cascade', 'sync', FUZHOU, '--json', '--hub', fuzhou.url], {
      env: { MINJIANG_TOKEN: fuzhou.officerToken },
    });
    expect(officer.status).toBe(3);
    const unknown = await runCli(['cascade', 'sync', '350300', '--json', '--hub', province.url], {
      env: { MINJIANG_TOKEN: province.adminToken },
    });
    expect(unknown.status).toBe(4);
  });
});
