import type { HubClient } from '../../client/hub-client.js';
import type { CatalogStateStore } from '../state/store.js';
import type { CatalogState } from '../state/types.js';
import { CatalogPlanError } from './errors.js';
import { forEachLimit } from './limit.js';
import { planCatalog } from './plan.js';
import type { ConflictResolution } from './three-way.js';
import { SNAPSHOT_FORMAT, type CatalogPlan, type HubResource, type HubSnapshot } from './types.js';

export interface GatherOptions {
  /** Whose resources (default: the token's organisation); an admin applies for one organisation. */
  org?: string;
  now?: () => Date;
}

/**
 * Reads an organisation's resources from the hub, with their documents, ETags and statuses: the
 * hub side of a plan. A resource of the local catalog that is not in this list is planned as a
 * create; should it exist under another organisation, the hub refuses that entry (not owner).
 * Any failed page fails the whole read, so a plan never rests on a partial listing.
 */
export async function gatherHubSnapshot(
  client: HubClient,
  options: GatherOptions = {},
): Promise<HubSnapshot> {
  const takenAt = (options.now?.() ?? new Date()).toISOString();
  const [version, caller] = await Promise.all([client.version(), client.whoami()]);
  const orgId = options.org ?? caller.organisation?.id;
  if (!orgId) {
    throw new CatalogPlanError('CATALOG-NO-ORG', '无法确定要比较哪个机构的目录：令牌未关联机构', {
      hint: '使用本机构数据专员的令牌，或（管理员）指定 --org。',
    });
  }
  const resources: Record<string, HubResource> = {};
  for await (const item of client.listResources({ org: orgId, document: true, limit: 500 })) {
    if (!item.document) {
      throw new CatalogPlanError('CATALOG-NO-DOCUMENT', `枢纽列表未返回 ${item.code} 的目录内容`, {
        hint: '枢纽版本过旧，不支持 document=true；请升级枢纽。',
      });
    }
    const { code, version: v, status, etag, contentHash, document } = item;
    resources[code] = { code, orgId: item.orgId, version: v, status, etag, contentHash, document };
  }
  await addPublishedVersions(client, resources);
  return {
    format: SNAPSHOT_FORMAT,
    hub: { baseURL: client.transport.options.baseURL, code: version.hub.code },
    orgId,
    takenAt,
    resources,
  };
}

/**
 * A withdrawn latest version may sit over a version that is still published; the list does not
 * say, so those few resources are read one by one (a prune must withdraw that version too).
 */
async function addPublishedVersions(
  client: HubClient,
  resources: Record<string, HubResource>,
): Promise<void> {
  const withdrawn = Object.values(resources).filter((resource) => resource.status === 'withdrawn');
  await forEachLimit(withdrawn, 4, async (resource) => {
    const view = await client.getResource(resource.code);
    if (view.publishedVersion !== undefined) resource.publishedVersion = view.publishedVersion;
  });
}

export interface PlanAgainstHubOptions extends GatherOptions {
  local: readonly unknown[];
  state: CatalogStateStore;
  /** Plan against the snapshot the last online plan saved, without calling the hub. */
  offline?: boolean;
  resolve?: ConflictResolution;
}

export interface PlanAgainstHub {
  plan: CatalogPlan;
  snapshot: HubSnapshot;
  lastApplied: CatalogState | undefined;
}

/**
 * `catalog plan`: the hub's state (read now and saved as the snapshot, or, offline, the saved
 * snapshot), the last-applied state, and the plan between them and the local catalog.
 */
export async function planAgainstHub(
  client: HubClient | undefined,
  options: PlanAgainstHubOptions,
): Promise<PlanAgainstHub> {
  const { state } = options;
  let snapshot: HubSnapshot | undefined;
  if (options.offline || !client) {
    snapshot = await state.readSnapshot();
    if (!snapshot) {
      throw new CatalogPlanError('CATALOG-NO-SNAPSHOT', '没有保存的枢纽快照，无法离线生成计划', {
        location: state.snapshotPath,
        hint: '先联网运行一次 minjiang catalog plan，它会保存快照。',
      });
    }
  } else {
    snapshot = await gatherHubSnapshot(client, options);
    await state.writeSnapshot(snapshot);
  }
  const lastApplied = await state.readState();
  const plan = planCatalog({ local: options.local, hub: snapshot, lastApplied, resolve: options.resolve });
  return { plan, snapshot, lastApplied };
}
