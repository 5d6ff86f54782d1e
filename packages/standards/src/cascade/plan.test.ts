import { describe, expect, it } from 'vitest';
import { CITY, fakeDigest, fakeItem, fakePage, paginate, urn } from '../../test-utils/cascade.js';
import { CascadeError } from './errors.js';
import { applySyncPlan, planSync, type FederatedEntry } from './plan.js';

const live = (n: number, version = 1): FederatedEntry => ({
  object: urn(n),
  version,
  digest: fakeDigest(urn(n), version),
  status: 'live',
});

function thrownCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof CascadeError ? error.code : 'not a CascadeError';
  }
  return undefined;
}

describe('planSync: one operation per object', () => {
  it('creates, updates, tombstones and leaves the rest alone', () => {
    // Given the province holds 1 (v1) and 2 (v1), and the city's feed since cursor 10 says
    const held = [live(1), live(2), live(3)];
    const items = [fakeItem(11, urn(1), 2), fakeItem(12, urn(2), 2, 'Delete'), fakeItem(13, urn(4), 1)];
    // When the pages are planned
    const plan = planSync(CITY, held, [fakePage(items, { from: 10, complete: true })], { cursor: 10 });
    // Then each object gets its net change, 3 is untouched, and the cursor moves to the page end
    const kinds = Object.fromEntries(plan.operations.map((op) => [op.object, op.kind]));
    expect(kinds).toEqual({ [urn(1)]: 'update', [urn(2)]: 'tombstone', [urn(4)]: 'create' });
    expect(plan.operations.find((op) => op.kind === 'tombstone')).toMatchObject({
      cause: 'tombstone',
      removes: true,
    });
    expect(plan.cursor).toEqual({ previous: 10, next: 13 });
    expect(plan.blocked).toBeNull();
  });

  it('folds several items of one object into its newest state', () => {
    const items = [fakeItem(1, urn(1), 1), fakeItem(2, urn(1), 2), fakeItem(3, urn(1), 3, 'Delete')];
    const plan = planSync(CITY, [], [fakePage(items, { from: 0, complete: true })]);
    // A tombstone for an object the province never held records it, and removes nothing
    expect(plan.operations.map((op) => [op.kind, op.removes, op.after?.version])).toEqual([
      ['tombstone', false, 3],
    ]);
  });

  it('ignores an older version and reports an equal one as unchanged', () => {
    const held = [live(1, 5), live(2, 3)];
    const items = [fakeItem(1, urn(1), 4), fakeItem(2, urn(2), 3)];
    const plan = planSync(CITY, held, [fakePage(items, { from: 0, complete: true })]);
    expect(plan.operations.map((op) => op.kind)).toEqual(['stale-version-ignored', 'unchanged']);
    expect(applySyncPlan(held, plan)).toEqual(held);
  });

  it('refuses equivocation (one version, two contents) and keeps what it holds', () => {
    const held = [live(1, 2)];
    const items = [fakeItem(5, urn(1), 2, 'Update', 'other content')];
    const plan = planSync(CITY, held, [fakePage(items, { from: 4, complete: true })], { cursor: 4 });
    expect(plan.operations).toEqual([]);
    expect(plan.refused.map((issue) => [issue.code, issue.location])).toEqual([['FED-202', '/0/items/0']]);
    expect(applySyncPlan(held, plan)).toEqual(held);
  });

  it("refuses an item for another hub's object (one source per record)", () => {
    const items = [fakeItem(1, urn(1, '350200'), 1), fakeItem(2, urn(2), 1)];
    const plan = planSync(CITY, [], [fakePage(items, { from: 0, complete: true })], { lang: 'en' });
    expect(plan.operations.map((op) => op.object)).toEqual([urn(2)]);
    expect(plan.refused[0]).toMatchObject({ code: 'FED-201', location: '/0/items/0' });
    expect(plan.refused[0]?.message).toContain('belongs to hub 350200');
  });
});

describe('planSync: deletions only from tombstones or a complete listing', () => {
  const held = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => live(n));
  const listing = held.slice(0, 11).map((entry, index) => fakeItem(index + 1, entry.object, 1));

  it('never deletes by absence from the change feed', () => {
    const plan = planSync(CITY, held, [fakePage([], { from: 0, complete: true })]);
    expect(plan.operations).toEqual([]);
  });

  it('deletes nothing when a full listing was cut off (the listing failed after page 1)', () => {
    const pages = paginate(listing.slice(0, 4), [4], { from: 0, mode: 'snapshot', complete: false });
    const plan = planSync(CITY, held, pages);
    expect(plan.complete).toBe(false);
    expect(plan.removals).toBe(0);
    expect(plan.cursor.next).toBe(0);
  });

  it('marks an entry missing from a complete listing as absent, within the share', () => {
    const pages = paginate(listing, [4], { from: 0, mode: 'snapshot' });
    const plan = planSync(CITY, held, pages, { cursor: 3 });
    expect(plan.operations.filter((op) => op.removes)).toEqual([
      expect.objectContaining({ object: urn(12), kind: 'tombstone', cause: 'absent', item: null }),
    ]);
    expect(plan.cursor.next).toBe(11);
    const after = applySyncPlan(held, plan);
    expect(after.find((entry) => entry.object === urn(12))).toMatchObject({ status: 'absent', version: 1 });
  });

  it('revives an absent entry when it is listed again', () => {
    const absent: FederatedEntry = { ...live(1), status: 'absent' };
    const plan = planSync(CITY, [absent], [fakePage([fakeItem(3, urn(1), 1)], { from: 2, complete: true })], {
      cursor: 2,
    });
    expect(plan.operations).toEqual([expect.objectContaining({ kind: 'create', after: live(1) })]);
  });
});

describe('planSync: the mass-delete guard', () => {
  const held = Array.from({ length: 20 }, (_, index) => live(index + 1));

  it('blocks a listing that would remove more than 10%, until confirmed', () => {
    // Given a complete listing of only 17 of 20 live entries (15% would go)
    const listing = held.slice(0, 17).map((entry, index) => fakeItem(index + 1, entry.object, 1));
    const pages = paginate(listing, [10], { from: 0, mode: 'snapshot' });
    // When it is planned without and with confirmation
    const blocked = planSync(CITY, held, pages, { cursor: 5 });
    const confirmed = planSync(CITY, held, pages, { cursor: 5, confirmMassDelete: true });
    // Then the first is blocked with the counts, keeps the cursor and cannot be applied
    expect(blocked.blocked).toMatchObject({ reason: 'mass-delete', removals: 3, live: 20, share: 0.15 });
    expect(blocked.blocked?.issue.code).toBe('FED-203');
    expect(blocked.blocked?.issue.message).toContain('3 / 20');
    expect(blocked.cursor.next).toBe(5);
    expect(() => applySyncPlan(held, blocked)).toThrow(CascadeError);
    // And the confirmed one applies
    expect(confirmed.blocked).toBeNull();
    expect(applySyncPlan(held, confirmed).filter((entry) => entry.status === 'live')).toHaveLength(17);
  });

  it('counts tombstones too, with a configurable share, in English', () => {
    const items = [1, 2, 3].map((n, index) => fakeItem(index + 1, urn(n), 2, 'Delete'));
    const page = fakePage(items, { from: 0, complete: true });
    const plan = planSync(CITY, held, [page], { lang: 'en' });
    expect(plan.blocked?.issue.message).toBe(
      'This sync would remove 3 of 20 live entries (15%), above the limit of 10%; stopped',
    );
    expect(planSync(CITY, held, [page], { maxRemovalShare: 0.2 }).blocked).toBeNull();
  });

  it('lets a small catalog withdraw one entry (the allowance), but not two', () => {
    const small = held.slice(0, 3);
    const one = fakePage([fakeItem(1, urn(1), 2, 'Delete')], { from: 0, complete: true });
    const two = fakePage([fakeItem(1, urn(1), 2, 'Delete'), fakeItem(2, urn(2), 2, 'Delete')], {
      from: 0,
      complete: true,
    });
    expect(planSync(CITY, small, [one]).blocked).toBeNull();
    expect(planSync(CITY, small, [two]).blocked?.removals).toBe(2);
    expect(planSync(CITY, small, [two], { removalAllowance: 2 }).blocked).toBeNull();
  });
});

describe('planSync: pages that cannot be one sync', () => {
  it('refuses pages of another hub, a gap, mixed modes and a listing not from the start', () => {
    const a = fakePage([fakeItem(6, urn(1), 1)], { from: 5, complete: false });
    const b = fakePage([fakeItem(8, urn(2), 1)], { from: 7, complete: true });
    const other = fakePage([fakeItem(6, urn(1, '350200'), 1)], { from: 5, complete: true, hub: '350200' });
    const snapshot = fakePage([fakeItem(9, urn(1), 1)], { from: 6, complete: true, mode: 'snapshot' });
    expect(thrownCode(() => planSync(CITY, [], [other], { cursor: 5 }))).toBe('FED-204');
    expect(thrownCode(() => planSync(CITY, [], [a, b], { cursor: 5 }))).toBe('FED-205');
    expect(thrownCode(() => planSync(CITY, [], [a], { cursor: 4 }))).toBe('FED-205');
    expect(thrownCode(() => planSync(CITY, [], [a, snapshot], { cursor: 5 }))).toBe('FED-206');
    expect(thrownCode(() => planSync(CITY, [], [snapshot]))).toBe('FED-206');
  });

  it('accepts a re-read that starts before the cursor, and never moves the cursor back', () => {
    const page = fakePage([fakeItem(1, urn(1), 1), fakeItem(2, urn(2), 1)], { from: 0, complete: true });
    const plan = planSync(CITY, [live(1), live(2)], [page], { cursor: 9 });
    expect(plan.counts.unchanged).toBe(2);
    expect(plan.cursor).toEqual({ previous: 9, next: 9 });
  });

  it('plans nothing from no pages', () => {
    const plan = planSync(CITY, [live(1)], [], { cursor: 3 });
    expect(plan).toMatchObject({ operations: [], complete: false, cursor: { previous: 3, next: 3 } });
  });
});
