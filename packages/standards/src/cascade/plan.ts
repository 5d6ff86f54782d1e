/**
 * The sync planner (docs/cascade-api.md "Sync"): from the entries the province holds for one
 * origin hub and the verified pages read since its cursor, the exact operations to apply and
 * the next cursor. The rules that make a cascade boringly correct live here, in pure code:
 * an item is applied only if its version is newer (so replays are idempotent and nothing older
 * overwrites newer); only the origin's own objects are accepted; a deletion comes from a signed
 * tombstone, or from absence in a *complete* full listing only; and a plan that would remove
 * more than a share of the origin's live entries is blocked until an admin confirms it.
 */
import type { Issue, Lang } from '../issues.js';
import { CascadeError, cascadeIssue } from './errors.js';
import type { FeedMode } from './feed-page.js';
import { checkPageSet } from './plan-pages.js';
import type { VerifiedFeedItem, VerifiedFeedPage } from './verified.js';

/** live · tombstone (a signed Delete) · absent (missing from a complete full listing). */
export type EntryStatus = 'live' | 'tombstone' | 'absent';

/** What the province holds of one federated object. Tombstones are kept for good. */
export interface FederatedEntry {
  object: string;
  version: number;
  /** The record digest; null for a tombstone (an absent entry keeps its last digest). */
  digest: string | null;
  status: EntryStatus;
}

export interface SyncOptions {
  /** The last seq of the origin's change feed already applied (0 before the first sync). */
  cursor?: number;
  /** Removals above this share of the live entries block the plan (default 0.1). */
  maxRemovalShare?: number;
  /** This many removals never block, whatever the share, so a small catalog can withdraw one entry (default 1). */
  removalAllowance?: number;
  /** An admin confirmed the removals: a mass delete is planned, not blocked. */
  confirmMassDelete?: boolean;
  lang?: Lang;
}

export type SyncOperationKind = 'create' | 'update' | 'tombstone' | 'unchanged' | 'stale-version-ignored';

/** One object's net change; `after` is what to store (the same entry as `before` when nothing changes). */
export interface SyncOperation {
  kind: SyncOperationKind;
  object: string;
  before: FederatedEntry | null;
  after: FederatedEntry | null;
  /** The item that decided it (its record to store); null for a removal by absence. */
  item: VerifiedFeedItem | null;
  /** For a tombstone: a signed Delete, or absence from a complete listing. */
  cause?: 'tombstone' | 'absent';
  /** True when a live entry stops being live. */
  removes: boolean;
}

export interface MassDeleteBlock {
  reason: 'mass-delete';
  removals: number;
  live: number;
  share: number;
  maxShare: number;
  issue: Issue;
}

export interface SyncPlan {
  origin: string;
  mode: FeedMode;
  /** The last page said nothing followed it. */
  complete: boolean;
  operations: SyncOperation[];
  /** Items refused one by one (another origin's object FED-201, equivocation FED-202); location /<page>/items/<n>. */
  refused: Issue[];
  counts: Record<SyncOperationKind, number>;
  /** Live entries before the sync, and how many of them the plan removes. */
  live: number;
  removals: number;
  /** Set when the plan must not be applied without confirmMassDelete. */
  blocked: MassDeleteBlock | null;
  /** The change-feed cursor to store once the plan is applied (unchanged when blocked). */
  cursor: { previous: number; next: number };
}

interface Fold {
  state: Map<string, FederatedEntry>;
  decided: Map<string, VerifiedFeedItem>;
  /** Objects the pages mention (so not absent), and what their unapplied items were. */
  seen: Map<string, { unchanged: boolean; stale: boolean }>;
  refused: Issue[];
}

function entryOf(item: VerifiedFeedItem): FederatedEntry {
  const tombstone = item.type === 'Delete';
  return {
    object: item.object,
    version: item.version,
    digest: tombstone ? null : (item.digest ?? null),
    status: tombstone ? 'tombstone' : 'live',
  };
}

/** An item of the version already held: the same content, a revival of an absent entry, or equivocation. */
function compareSameVersion(entry: FederatedEntry, item: VerifiedFeedItem): 'same' | 'revive' | 'conflict' {
  if (item.type === 'Delete') return entry.status === 'tombstone' ? 'same' : 'conflict';
  if (entry.status === 'tombstone' || entry.digest !== item.digest) return 'conflict';
  return entry.status === 'absent' ? 'revive' : 'same';
}

function foldItem(fold: Fold, item: VerifiedFeedItem, at: string, origin: string, lang: Lang): void {
  const owner = item.object.split(':')[3] ?? '';
  if (owner !== origin) {
    fold.refused.push(cascadeIssue('FED-201', at, { found: item.object, owner, expected: origin }, lang));
    return;
  }
  const seen = fold.seen.get(item.object) ?? { unchanged: false, stale: false };
  fold.seen.set(item.object, seen);
  const held = fold.state.get(item.object);
  if (held && item.version < held.version) {
    seen.stale = true;
    return;
  }
  const verdict = held && item.version === held.version ? compareSameVersion(held, item) : 'newer';
  if (verdict === 'same') seen.unchanged = true;
  if (verdict === 'conflict') {
    const found = item.type === 'Delete' ? 'Delete' : String(item.digest);
    const expected = held?.status === 'tombstone' ? 'Delete' : String(held?.digest);
    const params = { object: item.object, version: item.version, found, expected };
    fold.refused.push(cascadeIssue('FED-202', at, params, lang));
  }
  if (verdict === 'newer' || verdict === 'revive') {
    fold.state.set(item.object, entryOf(item));
    fold.decided.set(item.object, item);
  }
}

/** The net operation on one object; null when its only items were refused. */
function operationOf(fold: Fold, object: string, before: FederatedEntry | null): SyncOperation | null {
  const after = fold.state.get(object) ?? null;
  const item = fold.decided.get(object) ?? null;
  if (after === before) {
    const seen = fold.seen.get(object);
    if (!seen?.unchanged && !seen?.stale) return null;
    const kind = seen.unchanged ? 'unchanged' : 'stale-version-ignored';
    return { kind, object, before, after, item: null, removes: false };
  }
  const removes = before?.status === 'live' && after?.status !== 'live';
  if (after?.status === 'live') {
    const kind = before?.status === 'live' ? 'update' : 'create';
    return { kind, object, before, after, item, removes };
  }
  const cause = after?.status === 'absent' ? 'absent' : 'tombstone';
  return { kind: 'tombstone', object, before, after, item, cause, removes };
}

/** Folds every item, in feed order, over the entries held; then removals by absence if allowed. */
function foldPages(
  origin: string,
  held: ReadonlyMap<string, FederatedEntry>,
  pages: readonly VerifiedFeedPage[],
  lang: Lang,
): Fold {
  const fold: Fold = { state: new Map(held), decided: new Map(), seen: new Map(), refused: [] };
  pages.forEach((page, pageIndex) => {
    page.items.forEach((item, index) => foldItem(fold, item, `/${pageIndex}/items/${index}`, origin, lang));
  });
  return fold;
}

/** Absence means deletion only after a complete full listing: anything else may just be cut off. */
function markAbsent(fold: Fold, held: ReadonlyMap<string, FederatedEntry>): void {
  for (const [object, entry] of held) {
    if (entry.status === 'live' && !fold.seen.has(object))
      fold.state.set(object, { ...entry, status: 'absent' });
  }
}

function guard(removals: number, live: number, options: SyncOptions, lang: Lang): MassDeleteBlock | null {
  const maxShare = options.maxRemovalShare ?? 0.1;
  const share = live === 0 ? 0 : removals / live;
  if (options.confirmMassDelete || removals <= (options.removalAllowance ?? 1) || share <= maxShare)
    return null;
  const percent = (value: number) => Math.round(value * 1000) / 10;
  const params = { removals, live, share: percent(share), max: percent(maxShare) };
  const issue = cascadeIssue('FED-203', '', params, lang);
  return { reason: 'mass-delete', removals, live, share, maxShare, issue };
}

function nextCursor(
  mode: FeedMode,
  pages: readonly VerifiedFeedPage[],
  previous: number,
  blocked: boolean,
): number {
  const last = pages.at(-1);
  if (blocked || !last) return previous;
  if (mode === 'snapshot') return last.complete ? last.to : previous;
  return Math.max(previous, last.to);
}

/**
 * Plans one sync of an origin's entries from verified pages. Pure: applying the plan is the
 * caller's (applySyncPlan shows how). Throws CascadeError when the pages cannot be one sync.
 */
export function planSync(
  origin: string,
  entries: readonly FederatedEntry[],
  pages: readonly VerifiedFeedPage[],
  options: SyncOptions = {},
): SyncPlan {
  const lang = options.lang ?? 'zh-CN';
  const previous = options.cursor ?? 0;
  const mode = checkPageSet(origin, pages, previous, lang);
  const held = new Map(entries.map((entry) => [entry.object, entry]));
  const fold = foldPages(origin, held, pages, lang);
  const complete = pages.at(-1)?.complete ?? false;
  if (mode === 'snapshot' && complete) markAbsent(fold, held);
  const objects = [...new Set([...fold.seen.keys(), ...fold.state.keys()])];
  const operations = objects
    .map((object) => operationOf(fold, object, held.get(object) ?? null))
    .filter((operation): operation is SyncOperation => operation !== null);
  const counts = { create: 0, update: 0, tombstone: 0, unchanged: 0, 'stale-version-ignored': 0 };
  for (const operation of operations) counts[operation.kind] += 1;
  const live = entries.filter((entry) => entry.status === 'live').length;
  const removals = operations.filter((operation) => operation.removes).length;
  const blocked = guard(removals, live, options, lang);
  const next = nextCursor(mode, pages, previous, blocked !== null);
  return {
    origin,
    mode,
    complete,
    operations,
    refused: fold.refused,
    counts,
    live,
    removals,
    blocked,
    cursor: { previous, next },
  };
}

/** The entries after applying a plan (what the hub writes, as a pure function). A blocked plan is refused. */
export function applySyncPlan(entries: readonly FederatedEntry[], plan: SyncPlan): FederatedEntry[] {
  if (plan.blocked) throw new CascadeError([plan.blocked.issue]);
  const result = new Map(entries.map((entry) => [entry.object, entry]));
  for (const operation of plan.operations) {
    if (operation.after && operation.after !== operation.before)
      result.set(operation.object, operation.after);
  }
  return [...result.values()];
}
