import type { CatalogResource } from '@minjiang/standards';
import type { CatalogState } from '../state/types.js';
import { asJson, contentHashOf, planDocument } from './documents.js';
import { CatalogPlanError } from './errors.js';
import { diffJson, type FieldChange } from './json-diff.js';
import { mergeThreeWay, type ConflictResolution } from './three-way.js';
import {
  PLAN_FORMAT,
  type CatalogPlan,
  type HubResource,
  type HubSnapshot,
  type PlanAction,
  type PlannedResource,
} from './types.js';

export interface PlanInput {
  /** The local catalog's resources, as read from its files. */
  local: readonly unknown[];
  /** The hub's current state for the organisation: live, or a saved snapshot. */
  hub: HubSnapshot;
  /** What this catalog last applied to that hub; without it the plan is two-way. */
  lastApplied?: CatalogState | undefined;
  /** Settle conflicts with the local or the hub's value instead of reporting them. */
  resolve?: ConflictResolution | undefined;
}

const ACTIONS: readonly PlanAction[] = ['create', 'update', 'unchanged', 'drift', 'conflict', 'prune'];

function localDocuments(local: readonly unknown[]): Map<string, CatalogResource> {
  const found = new Map<string, CatalogResource>();
  local.forEach((raw, index) => {
    const document = planDocument(raw);
    if (typeof document?.code !== 'string' || document.code === '') {
      throw new CatalogPlanError('CATALOG-PLAN-NO-CODE', `第 ${index + 1} 个资源没有信息资源代码`, {
        location: `/resources/${index}/code`,
        hint: '先运行 minjiang catalog validate 修正目录。',
      });
    }
    if (found.has(document.code)) {
      throw new CatalogPlanError(
        'CATALOG-PLAN-DUPLICATE',
        `资源代码 ${document.code} 在本地目录中出现了两次`,
        {
          location: `/resources/${index}/code`,
          hint: '每个资源代码只能登记一次；删除或改正重复的条目。',
        },
      );
    }
    found.set(document.code, document);
  });
  return found;
}

function checkState(hub: HubSnapshot, state: CatalogState | undefined): void {
  if (!state) return;
  const otherHub = state.hub.code !== undefined && state.hub.code !== hub.hub.code;
  const otherOrg = state.orgId !== undefined && state.orgId !== hub.orgId;
  if (otherHub || otherOrg) {
    throw new CatalogPlanError(
      'CATALOG-STATE-MISMATCH',
      `上次应用记录属于枢纽 ${state.hub.code ?? '?'} 的机构 ${state.orgId ?? '?'}，而非当前的 ${hub.hub.code} / ${hub.orgId}`,
      { hint: '检查 --hub 和令牌是否对应此目录；每个目录文件夹只对应一个机构。' },
    );
  }
}

function hubPart(resource: HubResource): NonNullable<PlannedResource['hub']> {
  const { version, status, etag, contentHash } = resource;
  return { version, status, etag, contentHash };
}

function entry(code: string, action: PlanAction, basis: PlannedResource['basis']): PlannedResource {
  return { code, action, basis, changes: [], drift: [], conflicts: [] };
}

/** A resource the hub lacks: registered only if it is still new when the write arrives. */
function planCreate(local: CatalogResource, basis: PlannedResource['basis']): PlannedResource {
  return {
    ...entry(local.code, 'create', basis),
    name: local.name,
    document: local,
    contentHash: contentHashOf(local),
    local,
  };
}

/** Sends `desired` when it differs from the hub's document, else reports drift or nothing. */
function planSend(
  planned: PlannedResource,
  desired: CatalogResource,
  hub: HubResource,
  drift: FieldChange[],
): PlannedResource {
  const changes = diffJson(asJson(hub.document), asJson(desired));
  // A withdrawn resource is off the catalog; being local again means it should come back.
  const revive = hub.status === 'withdrawn';
  if (changes.length === 0 && !revive) {
    return { ...planned, action: drift.length > 0 ? 'drift' : 'unchanged', drift };
  }
  return {
    ...planned,
    action: 'update',
    document: desired,
    contentHash: contentHashOf(desired),
    changes,
    drift,
    ...(revive ? { revive } : {}),
  };
}

/** Local and on the hub: a two-way plan without a base, else a three-way merge. */
function planExisting(
  local: CatalogResource,
  hub: HubResource,
  base: CatalogResource | undefined,
  resolve: ConflictResolution | undefined,
): PlannedResource {
  const basis = base ? 'three-way' : 'two-way';
  const planned = { ...entry(local.code, 'unchanged', basis), name: local.name, local, hub: hubPart(hub) };
  if (!base) return planSend(planned, local, hub, []);
  const merge = mergeThreeWay(asJson(base), asJson(local), asJson(hub.document), resolve);
  if (merge.conflicts.length > 0 && resolve === undefined) {
    return { ...planned, action: 'conflict', conflicts: merge.conflicts, drift: merge.drift };
  }
  const settled = { ...planned, conflicts: merge.conflicts };
  return planSend(settled, merge.merged as unknown as CatalogResource, hub, merge.drift);
}

/** Whether anything of a resource is still in the catalog: not withdrawn, or published beneath. */
function isLive(resource: HubResource): boolean {
  return resource.status !== 'withdrawn' || resource.publishedVersion !== undefined;
}

function planPrune(hub: HubResource, base: CatalogResource): PlannedResource {
  return {
    ...entry(hub.code, 'prune', 'three-way'),
    name: hub.document.name,
    hub: hubPart(hub),
    drift: diffJson(asJson(base), asJson(hub.document)),
  };
}

/**
 * The three-way plan of a catalog against a hub: for each resource, what to send and why. Pure:
 * no I/O and no clock, so it runs offline on a saved snapshot and is the same every time for
 * the same inputs. Hub-owned fields are dropped before anything is compared (see
 * `planDocument`); code-table values are compared in their canonical form.
 */
export function planCatalog(input: PlanInput): CatalogPlan {
  const { hub, lastApplied, resolve } = input;
  checkState(hub, lastApplied);
  const locals = localDocuments(input.local);
  const bases = lastApplied?.resources ?? {};
  const codes = [...new Set([...locals.keys(), ...Object.keys(hub.resources), ...Object.keys(bases)])].sort();
  const resources: PlannedResource[] = [];
  const unmanaged: string[] = [];
  const forgotten: string[] = [];
  for (const code of codes) {
    const local = locals.get(code);
    const remote = hub.resources[code];
    const applied = bases[code];
    const base = applied ? planDocument(applied.document) : undefined;
    const remoteDocument = remote ? { ...remote, document: planDocument(remote.document) } : undefined;
    if (local && !remoteDocument) resources.push(planCreate(local, base ? 'three-way' : 'two-way'));
    else if (local && remoteDocument) resources.push(planExisting(local, remoteDocument, base, resolve));
    else if (remoteDocument && base && isLive(remoteDocument))
      resources.push(planPrune(remoteDocument, base));
    else if (remoteDocument && !base) unmanaged.push(code);
    else forgotten.push(code);
  }
  const summary = Object.fromEntries(ACTIONS.map((action) => [action, 0])) as Record<PlanAction, number>;
  for (const planned of resources) summary[planned.action] += 1;
  return {
    format: PLAN_FORMAT,
    mode: lastApplied ? 'three-way' : 'two-way',
    hub: hub.hub,
    orgId: hub.orgId,
    hubReadAt: hub.takenAt,
    resources,
    unmanaged,
    forgotten,
    summary,
  };
}

/** Whether a plan would send, withdraw or refuse anything: `false` means the hub is up to date. */
export function planHasChanges(plan: CatalogPlan): boolean {
  return plan.resources.some((planned) => planned.action !== 'unchanged' && planned.action !== 'drift');
}
