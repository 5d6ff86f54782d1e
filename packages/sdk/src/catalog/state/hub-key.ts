import type { HubClient } from '../../client/hub-client.js';
import { HubKeyChangedError } from './errors.js';
import type { CatalogState, PinnedKey } from './types.js';

/**
 * Trust on first use: the hub's public key is fetched and pinned in the state the first time a
 * catalog is applied to it; afterwards a different key is refused before anything is written,
 * since receipts signed by an unknown key prove nothing.
 */
export async function pinHubKey(
  client: HubClient,
  state: CatalogState,
  statePath: string,
  now: Date,
): Promise<{ key: PinnedKey; pinned: 'new' | 'match' }> {
  const presented = await client.hubKey();
  const pinned = state.hub.key;
  if (!pinned) {
    const key = { keyId: presented.keyId, publicKey: presented.publicKey, pinnedAt: now.toISOString() };
    state.hub.key = key;
    return { key, pinned: 'new' };
  }
  if (pinned.publicKey.toLowerCase() !== presented.publicKey.toLowerCase()) {
    throw new HubKeyChangedError(statePath, pinned, presented);
  }
  return { key: pinned, pinned: 'match' };
}
