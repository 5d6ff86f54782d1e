import { describe, expect, it } from 'vitest';
import { ENGINES, freshStore } from '../../test-utils/hub.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadHubKey } from './hub-key.js';

/** A second hub's key, in its own database. */
async function loadOtherKey() {
  const { store, dispose } = await freshStore('sqlite');
  try {
    await migrateToLatest(store.db);
    return await loadHubKey(store.db, '350100', () => new Date('2026-01-01T00:00:00Z'));
  } finally {
    await dispose();
  }
}

describe.each(ENGINES)('the hub key on %s', (engine) => {
  it('seals secrets so that only this hub opens them', async () => {
    const { store, dispose } = await freshStore(engine);
    try {
      await migrateToLatest(store.db);
      const key = await loadHubKey(store.db, '350000', () => new Date('2026-01-01T00:00:00Z'));
      const sealed = key.seal('秘密-secret');
      expect(sealed).toMatch(/^v1:[0-9a-f]{32}:[0-9a-f]+$/);
      expect(sealed).not.toBe(key.seal('秘密-secret'));
      expect(key.open(sealed)).toBe('秘密-secret');
      // Another hub's key does not give the secret back (CBC padding usually fails outright).
      const other = await loadOtherKey();
      let opened: string | undefined;
      try {
        opened = other.open(sealed);
      } catch {
        opened = undefined;
      }
      expect(opened).not.toBe('秘密-secret');
      expect(() => key.open('plain text')).toThrow(/not a sealed secret/);
    } finally {
      await dispose();
    }
  });
});
