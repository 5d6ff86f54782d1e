import fp from 'fastify-plugin';
import type { HubConfig } from '../config.js';
import { openDatabase, type HubDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadHubKey, type HubKey } from '../crypto/hub-key.js';

/** What every module reaches through `app.hub`. */
export interface HubContext {
  config: HubConfig;
  store: HubDatabase;
  key: HubKey;
  /** The clock; tests replace it. */
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    hub: HubContext;
  }
}

export interface StoreOptions {
  config: HubConfig;
  /** An already-open database (tests, benchmarks); otherwise one is opened from the config. */
  store?: HubDatabase;
  now?: () => Date;
}

/** Opens the database, brings its schema up to date, loads the hub key, and closes it all on close. */
export const storePlugin = fp<StoreOptions>(
  async (app, options) => {
    const store =
      options.store ??
      (await openDatabase({ databaseUrl: options.config.databaseUrl, dataDir: options.config.dataDir }));
    const ownsStore = options.store === undefined;
    try {
      await migrateToLatest(store.db);
      const now = options.now ?? (() => new Date());
      const key = await loadHubKey(store.db, options.config.hubCode, now);
      app.decorate('hub', { config: options.config, store, key, now });
    } catch (error) {
      if (ownsStore) await store.close();
      throw error;
    }
    app.addHook('onClose', async () => {
      if (ownsStore) await store.close();
    });
  },
  { name: 'minjiang-store' },
);
