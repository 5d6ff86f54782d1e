import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signDsse } from '../crypto/dsse.js';
import { generateSm2KeyPair } from '../crypto/sm2.js';
import {
  ROW_PAGE_PAYLOAD_TYPE,
  buildRowPage,
  rowDigest,
  signRowPage,
  stateDigest,
  type RowPage,
  type RowPageItem,
} from './row-page.js';
import { verifyRowPage } from './row-page-verify.js';

const province = { keyId: '350000#hub-2026-01-01', ...generateSm2KeyPair() };
const SUBSCRIPTION = `ret-${'0f3c'.repeat(8)}`;
const key = (c: string) => c.repeat(64);

function upsert(seq: number, key: string, row: Record<string, string | null>): RowPageItem {
  return { seq, key, change: 'upsert', digest: rowDigest(row), row };
}

function page(items: RowPageItem[], overrides: Partial<RowPage> = {}): RowPage {
  const built = buildRowPage({
    hub: '350000',
    subscription: SUBSCRIPTION,
    resource: '350000/GAT/00001',
    from: 0,
    items: [...items],
    head: items.at(-1)?.seq ?? 0,
    complete: true,
    rows: items.length,
    stateDigest: stateDigest(
      items.flatMap((item) => (item.digest ? [{ key: item.key, digest: item.digest }] : [])),
    ),
    generatedAt: '2026-11-27T10:00:00.000Z',
  });
  return { ...built, ...overrides };
}

const options = { hub: '350000', publicKey: province.publicKey, subscription: SUBSCRIPTION, after: 0 };
const rows = [
  upsert(1, key('a'), { XM: '张*', HJDQH: '350102' }),
  upsert(3, key('b'), { XM: '李*', HJDQH: '350103' }),
  { seq: 4, key: key('c'), change: 'delete' as const },
];

describe('row pages', () => {
  it('verifies a page signed with the pinned key, rows and cursor intact', () => {
    // Given a page signed by the province, When the city verifies it with the pinned key
    const result = verifyRowPage(signRowPage(page(rows), province), options);
    // Then it is accepted as it was signed
    expect(result.issues).toEqual([]);
    expect(result.page?.items.map((item) => item.change)).toEqual(['upsert', 'upsert', 'delete']);
  });

  it('refuses another key, an altered row, a wrong subscription and a broken cursor', () => {
    const other = { keyId: 'x#1', ...generateSm2KeyPair() };
    expect(verifyRowPage(signRowPage(page(rows), other), options).issues.map((i) => i.code)).toEqual([
      'RET-102',
    ]);
    // A row changed after its digest was taken, re-signed (a compromised relay cannot re-sign; a buggy province could)
    const altered = page(rows);
    altered.items[0] = { ...rows[0]!, row: { XM: '王五', HJDQH: '350102' } };
    const signedAltered = signDsse(province, ROW_PAGE_PAYLOAD_TYPE, altered);
    expect(verifyRowPage(signedAltered, options).issues).toMatchObject([
      { code: 'RET-108', location: '/items/0/digest' },
    ]);
    expect(
      verifyRowPage(signRowPage(page(rows), province), { ...options, subscription: `ret-${'9'.repeat(32)}` })
        .issues,
    ).toMatchObject([{ code: 'RET-104', location: '/subscription' }]);
    expect(
      verifyRowPage(signRowPage(page(rows), province), { ...options, after: 2 }).issues.map((i) => i.code),
    ).toEqual(['RET-105']);
    const gap = signDsse(province, ROW_PAGE_PAYLOAD_TYPE, page(rows, { to: 9 }));
    expect(verifyRowPage(gap, options).issues.map((i) => i.code)).toEqual(['RET-107']);
  });

  it('refuses an envelope that is not a row page, in English when asked', () => {
    expect(verifyRowPage({ payloadType: 'x', payload: '', signatures: [] }, options).issues[0]?.code).toBe(
      'RET-101',
    );
    const notPage = signDsse(province, ROW_PAGE_PAYLOAD_TYPE, { hub: '350000' });
    const result = verifyRowPage(notPage, { ...options, lang: 'en' });
    // The payload's schema (cascade/row-page-1.0) first, then an upsert that lost its row.
    expect(result.issues).toMatchObject([{ code: 'SCH-001', location: '/subscription' }]);
    const bare = page(rows);
    bare.items[1] = { seq: 3, key: key('b'), change: 'upsert' };
    const noRow = verifyRowPage(signDsse(province, ROW_PAGE_PAYLOAD_TYPE, bare), { ...options, lang: 'en' });
    expect(noRow.issues).toMatchObject([{ code: 'RET-103', location: '/items/1' }]);
    expect(noRow.issues[0]?.message).toMatch(/not a row page/);
    expect(() => signRowPage(page(rows, { next: '9' }), province)).toThrow(/RET-107/);
    expect(() => signRowPage(page(rows, { next: 'x' }), province)).toThrow(/SCH-004/);
  });
});

describe('stateDigest', () => {
  const rowSet = fc.uniqueArray(
    fc.record({ key: fc.string({ minLength: 1, maxLength: 8 }), value: fc.string({ maxLength: 6 }) }),
    { selector: (row) => row.key, minLength: 1, maxLength: 30 },
  );
  const digests = (set: { key: string; value: string }[]) =>
    set.map((row) => ({ key: row.key, digest: rowDigest({ V: row.value }) }));

  it('depends on the set of rows, not their order', () => {
    fc.assert(
      fc.property(rowSet, fc.nat(), (set, seed) => {
        const shuffled = [...set].sort(
          (a, b) => ((a.key.charCodeAt(0) * seed) % 7) - ((b.key.charCodeAt(0) * seed) % 7),
        );
        expect(stateDigest(digests(shuffled))).toBe(stateDigest(digests(set)));
      }),
    );
  });

  it('changes when one row changes, is removed, or moves to another key', () => {
    fc.assert(
      fc.property(rowSet, fc.nat(), (set, pick) => {
        const index = pick % set.length;
        const base = stateDigest(digests(set));
        const changed = set.map((row, i) => (i === index ? { ...row, value: `${row.value}!` } : row));
        expect(stateDigest(digests(changed))).not.toBe(base);
        expect(stateDigest(digests(set.filter((_, i) => i !== index)))).not.toBe(base);
        const moved = set.map((row, i) => (i === index ? { ...row, key: `${row.key}~moved` } : row));
        expect(stateDigest(digests(moved))).not.toBe(base);
      }),
    );
  });

  it('is SM3 of nothing for an empty copy', () => {
    expect(stateDigest([])).toBe('sm3:1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b');
  });
});
