import type { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from './transport.js';

/** A fetch that owns its connection pool, and the way to release it. */
export interface OwnedFetch {
  fetch: FetchLike;
  close(): Promise<void>;
}

/** Idle sockets are kept this long: long enough to span the requests of one CLI command. */
const KEEP_ALIVE_MS = 10_000;

/**
 * The default fetch: undici's, over one keep-alive `Agent` per client, so a plan or an apply of
 * hundreds of requests reuses a few connections instead of opening one each. undici is imported
 * on the first request, not when the SDK is imported: commands that never call a hub stay cheap.
 */
export function keepAliveFetch(): OwnedFetch {
  let loaded: Promise<{ fetch: typeof undiciFetch; agent: Agent }> | undefined;
  const load = () =>
    (loaded ??= import('undici').then(({ Agent, fetch }) => ({
      fetch,
      agent: new Agent({ keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: 60_000 }),
    })));
  return {
    fetch: async (input, init) => {
      const { fetch, agent } = await load();
      // undici's RequestInit and Response are its own types, the same shapes at run time.
      const options = { ...init, dispatcher: agent } as unknown as Parameters<typeof fetch>[1];
      const response: unknown = await fetch(input, options);
      return response as Response;
    },
    close: async () => {
      if (loaded) await (await loaded).agent.close();
    },
  };
}
