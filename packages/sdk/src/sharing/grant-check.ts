import type { Grant } from '@minjiang/standards';
import { CatalogStateStore } from '../catalog/state/store.js';
import { pinHubKey } from '../catalog/state/hub-key.js';
import { STATE_FORMAT, type CatalogState } from '../catalog/state/types.js';
import type { HubClient } from '../client/hub-client.js';
import type { GrantView } from '../client/sharing-types.js';
import { GrantSignatureError, verifyGrantEnvelope } from './grant-envelope.js';

export interface GrantCheck {
  grant: Grant;
  keyId: string;
  /** `new`: the key was pinned by this check (trust on first use); `match`: it was pinned before. */
  pinned: 'new' | 'match';
}

/**
 * The hub key pinned in `<stateDir>/hubs/<hub>/state.json`, the file `catalog apply` and
 * `data submit` pin it in, so one hub has one trusted key whichever command met it first.
 */
async function pinnedKey(client: HubClient, stateDir: string, now: Date) {
  const store = new CatalogStateStore(stateDir, client.transport.options.baseURL);
  const state: CatalogState = (await store.readState()) ?? {
    format: STATE_FORMAT,
    hub: { baseURL: client.transport.options.baseURL },
    updatedAt: now.toISOString(),
    resources: {},
  };
  const { key, pinned } = await pinHubKey(client, state, store.statePath, now);
  if (pinned === 'new') await store.writeState(state);
  return { key, pinned };
}

/**
 * Verifies a grant as read from the hub against the pinned hub key, and that the signed document
 * is this grant (the view's fields are the hub's word; only the document is signed).
 */
export async function checkGrant(
  client: HubClient,
  view: GrantView,
  options: { stateDir: string; now?: Date },
): Promise<GrantCheck> {
  const { key: hubKey, pinned } = await pinnedKey(client, options.stateDir, options.now ?? new Date());
  // A grant of another hub (cascade routing) is signed by that hub: the key comes with the view
  // from the pinned hub, which the consumer trusts to vouch for it.
  const key = view.signer ?? hubKey;
  const grant = verifyGrantEnvelope(view.envelope, key.publicKey);
  const problems: string[] = [];
  if (grant.uid !== view.id) problems.push(`uid ${grant.uid} ≠ ${view.id}`);
  if (grant['ses:application'] !== view.application)
    problems.push(`ses:application ${grant['ses:application']} ≠ ${view.application}`);
  if (problems.length > 0) {
    throw new GrantSignatureError(
      'GRANT-MISMATCH',
      `签名的授权文件与授权 ${view.id} 不符：${problems.join('；')}`,
      {
        hint: '签名有效但内容属于另一项授权：请勿使用，并报告枢纽管理员。',
      },
    );
  }
  return { grant, keyId: key.keyId, pinned };
}
