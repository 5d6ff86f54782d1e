import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStateStore, hubIdOf } from './store.js';
import { STATE_FORMAT, type CatalogState } from './types.js';

const dirs: string[] = [];
function store(baseURL = 'http://127.0.0.1:8750') {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-state-'));
  dirs.push(dir);
  return CatalogStateStore.forCatalog(join(dir, 'catalog.yaml'), baseURL);
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const state: CatalogState = {
  format: STATE_FORMAT,
  hub: { baseURL: 'http://127.0.0.1:8750', code: '350000' },
  updatedAt: '2025-03-01T00:00:00.000Z',
  resources: {},
};

describe('CatalogStateStore', () => {
  it('keeps one state per hub in a .minjiang folder next to the catalog', () => {
    expect(hubIdOf('http://127.0.0.1:8750')).toBe('127.0.0.1_8750');
    expect(hubIdOf('https://hub.fujian.gov.cn/minjiang/')).toBe('hub.fujian.gov.cn_minjiang');
    const one = store();
    expect(one.statePath.endsWith(join('.minjiang', 'hubs', '127.0.0.1_8750', 'state.json'))).toBe(true);
  });

  it('writes atomically and reads back what it wrote, leaving no temporary file', async () => {
    const one = store();
    expect(await one.readState()).toBeUndefined();
    await one.writeState(state);
    await one.writeState({ ...state, orgId: 'X' });
    expect(await one.readState()).toEqual({ ...state, orgId: 'X' });
    expect(readdirSync(join(one.dir, 'hubs', one.hubId))).toEqual(['state.json']);
  });

  it('says what is wrong with a damaged or foreign state file', async () => {
    const one = store();
    await one.writeState(state);
    writeFileSync(one.statePath, '{ "format": ');
    await expect(one.readState()).rejects.toMatchObject({
      code: 'STATE-UNREADABLE',
      location: one.statePath,
    });
    writeFileSync(one.statePath, JSON.stringify({ format: 'minjiang-catalog-state/9' }));
    await expect(one.readState()).rejects.toMatchObject({ code: 'STATE-FORMAT' });
  });

  it('saves receipts under new names and lists them oldest first', async () => {
    const one = store();
    const saved = (savedAt: string) => ({
      format: 'minjiang-receipt/1' as const,
      kind: 'batch',
      hub: { baseURL: 'http://127.0.0.1:8750', code: '350000' },
      savedAt,
      expected: [],
      verified: true,
      receipt: {},
    });
    const later = await one.saveReceipt(saved('2025-03-02T00:00:00.000Z'), 'batch-3');
    const earlier = await one.saveReceipt(saved('2025-03-01T00:00:00.000Z'), 'submit-3350010001/000001');
    expect(earlier).toMatch(
      /^receipts\/127\.0\.0\.1_8750\/20250301T000000Z-submit-3350010001-000001-[0-9a-f]{6}\.json$/,
    );
    expect(await one.listReceipts()).toEqual([earlier, later]);
    expect((await one.readReceipt(later))?.savedAt).toBe('2025-03-02T00:00:00.000Z');
  });
});
