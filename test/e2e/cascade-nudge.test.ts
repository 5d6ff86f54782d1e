/**
 * The cascade nudge end to end (issue 8, docs/cascade-api.md "Sync"): a province whose scheduled
 * pull waits an hour, and a city hub that nudges it after its catalog changes. An approval and a
 * withdrawal at the city reach the province's federated entries within seconds, with no sync
 * started by anyone at the province; the province's admin sees the figures with the built CLI.
 * Changes made while the province is down wait in the city's feed and arrive, once, with the
 * first nudge after it is back.
 * The city runs on PostgreSQL when MINJIANG_TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityEntry } from '../../packages/hub/test-utils/cascade.js';
import { resourceCode } from '../../packages/hub/test-utils/catalog.js';
import { freshDatabase } from '../../packages/hub/test-utils/hub.js';
import {
  entriesAt,
  pinCity,
  publish,
  startCascadeHub,
  withdraw,
  type CascadeHub,
} from './cascade-harness.js';
import { assertSchema, runCli } from './cli-harness.js';

const FUZHOU = '350100';

/** Polls the province's entries of Fuzhou until they equal `expected` or `ms` elapse. */
async function entriesWithin(province: CascadeHub, expected: Record<string, string>, ms: number) {
  const until = Date.now() + ms;
  let held = await entriesAt(province, FUZHOU);
  while (JSON.stringify(held) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    held = await entriesAt(province, FUZHOU);
  }
  return held;
}

describe('cascade nudge: a city’s changes reach the province without waiting for its schedule', () => {
  let province: CascadeHub;
  let fuzhou: CascadeHub;
  let disposeDb: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    // The scheduled pull would come after an hour (and the harness runs no scheduler at all).
    province = await startCascadeHub('350000', { config: { cascadeSyncInterval: 3600 } });
    let databaseUrl: string | undefined;
    if (process.env.MINJIANG_TEST_DATABASE_URL) {
      const database = await freshDatabase('postgres');
      databaseUrl = database.databaseUrl;
      disposeDb = database.dispose;
    }
    fuzhou = await startCascadeHub(FUZHOU, {
      parentUrl: province.url,
      ...(databaseUrl ? { databaseUrl } : {}),
    });
    await pinCity(province, fuzhou);
  }, 60_000);

  afterAll(async () => {
    await fuzhou?.dispose();
    await disposeDb();
    await province?.dispose();
  });

  it('brings an approval, then a withdrawal (tombstone), to the province within seconds', async () => {
    const started = Date.now();
    for (const n of [1, 2]) await publish(fuzhou, cityEntry(n, {}, FUZHOU));
    const live = { [resourceCode(1)]: 'live v1', [resourceCode(2)]: 'live v1' };
    expect(await entriesWithin(province, live, 8_000)).toEqual(live);
    expect(Date.now() - started).toBeLessThan(10_000);
    await withdraw(fuzhou, resourceCode(2));
    const after = { ...live, [resourceCode(2)]: 'tombstone v2' };
    expect(await entriesWithin(province, after, 8_000)).toEqual(after);
  });

  it('shows the province’s admin the cursor at the city’s head, synced by the nudge', async () => {
    const run = await runCli(['cascade', 'children', FUZHOU, '--json', '--hub', province.url], {
      env: { MINJIANG_TOKEN: province.adminToken },
    });
    expect(run.status, run.stderr).toBe(0);
    assertSchema('cascade-children', run.json);
    expect(run.json).toMatchObject({
      mode: 'show',
      child: { state: 'APPROVED', cursor: 3, head: 3, lastError: null },
    });
  });

  it('keeps the changes made while the province is down in the city’s feed; the next nudge brings them all, once', async () => {
    await province.stop();
    // Published while the province is down: their nudges fail and are dropped, the items stay.
    for (const n of [3, 4]) await publish(fuzhou, cityEntry(n, {}, FUZHOU));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await province.start();
    await publish(fuzhou, cityEntry(5, {}, FUZHOU));
    const expected = {
      [resourceCode(1)]: 'live v1',
      [resourceCode(2)]: 'tombstone v2',
      [resourceCode(3)]: 'live v1',
      [resourceCode(4)]: 'live v1',
      [resourceCode(5)]: 'live v1',
    };
    expect(await entriesWithin(province, expected, 8_000)).toEqual(expected);
    const run = await runCli(['cascade', 'children', FUZHOU, '--json', '--hub', province.url], {
      env: { MINJIANG_TOKEN: province.adminToken },
    });
    // Every item of the feed applied once: the cursor at the head, no version counted twice.
    expect(run.json).toMatchObject({ child: { cursor: 6, head: 6 } });
  });
});
