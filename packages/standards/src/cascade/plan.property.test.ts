import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CITY, fakeItem, fakePage, paginate, urn } from '../../test-utils/cascade.js';
import type { CascadeFeedItem } from '../generated/types.js';
import { applySyncPlan, planSync, type FederatedEntry, type SyncPlan } from './plan.js';

/** A city's history: each event publishes a new version of an object or deletes a live one. */
const historyArb = fc.array(fc.record({ object: fc.integer({ min: 1, max: 6 }), remove: fc.boolean() }), {
  maxLength: 30,
});
const sizesArb = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 });

/** The city's feed for a history: seq 1…n, versions increasing per object, Deletes only of live objects. */
function feedOf(history: { object: number; remove: boolean }[]): CascadeFeedItem[] {
  const state = new Map<number, { version: number; live: boolean }>();
  return history.map(({ object, remove }, index) => {
    const current = state.get(object) ?? { version: 0, live: false };
    const type = remove && current.live ? 'Delete' : current.version === 0 ? 'Create' : 'Update';
    const version = current.version + 1;
    state.set(object, { version, live: type !== 'Delete' });
    return fakeItem(index + 1, urn(object), version, type);
  });
}

/** What the province must hold after the whole feed: each object's newest item. */
function truthOf(feed: CascadeFeedItem[]): FederatedEntry[] {
  const latest = new Map(feed.map((item) => [item.object, item]));
  return [...latest.values()].map((item) => ({
    object: item.object,
    version: item.version,
    digest: item.type === 'Delete' ? null : (item.digest ?? null),
    status: item.type === 'Delete' ? 'tombstone' : 'live',
  }));
}

const sorted = (entries: FederatedEntry[]) => [...entries].sort((a, b) => a.object.localeCompare(b.object));
const confirm = { confirmMassDelete: true };

function apply(entries: FederatedEntry[], plan: SyncPlan): FederatedEntry[] {
  return applySyncPlan(entries, plan);
}

describe('planSync properties', () => {
  it('converges on the feed, resumes from any cursor, and replays idempotently', () => {
    fc.assert(
      fc.property(historyArb, sizesArb, fc.nat(), (history, sizes, cut) => {
        const feed = feedOf(history);
        const k = feed.length === 0 ? 0 : cut % (feed.length + 1);
        // Given the province applied the feed up to seq k, When it syncs the rest from cursor k
        const first = planSync(CITY, [], paginate(feed.slice(0, k), sizes, { from: 0 }), confirm);
        const held = apply([], first);
        const rest = paginate(feed.slice(k), sizes, { from: k });
        const plan = planSync(CITY, held, rest, { ...confirm, cursor: first.cursor.next });
        const after = apply(held, plan);
        // Then it holds exactly the feed's newest state, at the feed's end
        expect(sorted(after)).toEqual(sorted(truthOf(feed)));
        expect(plan.cursor.next).toBe(feed.length);
        // And replaying every page from the start changes nothing
        const replay = planSync(CITY, after, paginate(feed, sizes, { from: 0 }), {
          cursor: plan.cursor.next,
        });
        expect(replay.counts.create + replay.counts.update + replay.counts.tombstone).toBe(0);
        expect(apply(after, replay)).toEqual(after);
        expect(replay.cursor.next).toBe(plan.cursor.next);
      }),
    );
  });

  it('never lets an older version overwrite a newer one', () => {
    fc.assert(
      fc.property(historyArb, sizesArb, fc.nat(), (history, sizes, cut) => {
        const feed = feedOf(history);
        const held = apply([], planSync(CITY, [], paginate(feed, sizes, { from: 0 }), confirm));
        // When an old prefix of the feed arrives again (a stale relay, a restored backup)
        const prefix = feed.slice(0, feed.length === 0 ? 0 : cut % feed.length);
        const plan = planSync(CITY, held, paginate(prefix, sizes, { from: 0 }), { cursor: feed.length });
        // Then nothing is written
        expect(
          plan.operations.every((op) => op.kind === 'unchanged' || op.kind === 'stale-version-ignored'),
        ).toBe(true);
        expect(apply(held, plan)).toEqual(held);
      }),
    );
  });

  it('removes a live entry only by a tombstone, or by absence from a complete listing', () => {
    fc.assert(
      fc.property(historyArb, historyArb, sizesArb, fc.boolean(), (older, newer, sizes, complete) => {
        // Given the province holds an older history of the city, and reads a listing of a newer one
        const held = truthOf(feedOf(older));
        const listing = truthOf(feedOf(newer)).map((entry, index) =>
          fakeItem(index + 1, entry.object, entry.version, entry.status === 'live' ? undefined : 'Delete'),
        );
        const changes = paginate(feedOf(newer), sizes, { from: 0, complete });
        const snapshot = paginate(listing, sizes, { from: 0, mode: 'snapshot', complete });
        const listed = new Set(listing.map((item) => item.object));
        for (const plan of [
          planSync(CITY, held, changes, confirm),
          planSync(CITY, held, snapshot, confirm),
        ]) {
          for (const op of plan.operations.filter((operation) => operation.removes)) {
            // Then every removal names its signed Delete, or the listing was complete and lacked the object
            if (op.cause === 'tombstone') expect(op.item?.type).toBe('Delete');
            else expect(plan.mode === 'snapshot' && complete && !listed.has(op.object)).toBe(true);
          }
        }
      }),
    );
  });

  it('blocks exactly the plans that remove more than the share and the allowance, unless confirmed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (size, drop, share, allowance, confirmed) => {
          const held: FederatedEntry[] = Array.from({ length: size }, (_, index) => ({
            object: urn(index + 1),
            version: 1,
            digest: fakeItem(1, urn(index + 1), 1).digest ?? null,
            status: 'live',
          }));
          const kept = held.slice(0, Math.max(0, size - drop));
          const listing = kept.map((entry, index) => fakeItem(index + 1, entry.object, 1));
          const page = fakePage(listing, { from: 0, complete: true, mode: 'snapshot' });
          const options = {
            maxRemovalShare: share,
            removalAllowance: allowance,
            confirmMassDelete: confirmed,
          };
          const plan = planSync(CITY, held, [page], options);
          const removals = size - kept.length;
          expect(plan.removals).toBe(removals);
          const expected = !confirmed && removals > allowance && removals / size > share;
          expect(plan.blocked !== null).toBe(expected);
          if (plan.blocked) expect(plan.cursor.next).toBe(0);
        },
      ),
    );
  });
});
