import { describe, expect, it } from 'vitest';
import { FirstRows, keyHash, KeyRows } from './key-hash.js';

/** 2²⁰: the table's buckets always cover a hash's low 20 bits. */
const LOW = 0x100000;

describe('KeyRows', () => {
  it('returns the first row of every repeated key, across a doubling of the buckets, and 0 for new ones', () => {
    const table = new KeyRows();
    // More than 2 × 2²⁰ keys, so the bucket heads double at least once (at 2,097,153 keys).
    const count = 2_300_000;
    const hashes = new Float64Array(count + 1);
    for (let i = 1; i <= count; i += 1) hashes[i] = keyHash([`k${i}`]);
    for (let i = 1; i <= count; i += 1) {
      if (table.add(hashes[i] ?? 0, i) !== 0) throw new Error(`false duplicate at ${i}`);
    }
    const wrong: number[] = [];
    for (let i = 1; i <= count; i += 1009) {
      if (table.add(hashes[i] ?? 0, count + i) !== i) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(table.add(keyHash(['new']), 1)).toBe(0);
  });

  it('tells apart hashes that share a bucket or their high bits, and finds each one again', () => {
    const table = new KeyRows();
    const base = 0x12345 * LOW + 0x6789a;
    // Same low 20 bits (one bucket until growth): differ only above bit 20, including bit 51.
    const sameBucket = [0, 1, 2, 0x80000, 0x80001, 0xfffff].map((high) => base + high * LOW);
    // Same high 32 bits: differ only in the low bits the bucket stands for.
    const sameHigh = [1, 2, 0x40000, 0x7ffff].map((low) => base + low);
    const extremes = [0, 2 ** 52 - 1, LOW - 1, LOW];
    const hashes = [...new Set([...sameBucket, ...sameHigh, ...extremes])].map((hash) => hash % 2 ** 52);
    hashes.forEach((hash, i) => expect(table.add(hash, 10 + i)).toBe(0));
    hashes.forEach((hash, i) => expect(table.add(hash, 100 + i)).toBe(10 + i));
  });

  it('keeps long chains of one bucket apart through growth', () => {
    const table = new KeyRows();
    // 50 keys in each of 1,000 buckets (chains 25 times the average), among 2.2 million others
    // so that the buckets double, which splits every chain by the next hash bit.
    const chained = new Map<number, number>();
    let row = 1;
    for (let low = 0; low < 1_000; low += 1) {
      for (let high = 0; high < 50; high += 1) {
        const hash = (high * 0x10001 + low) * LOW + low * 997;
        chained.set(hash, row);
        if (table.add(hash, row) !== 0) throw new Error(`false duplicate at ${row}`);
        row += 1;
      }
    }
    for (let i = 0; i < 2_200_000; i += 1) {
      // Spread over all 52 bits, away from the chained ones' low bits.
      if (table.add(((i * 0x9e3779b1) >>> 0) * LOW + ((i * 7 + 0x80000) & (LOW - 1)), row) !== 0)
        throw new Error(`false duplicate at ${row}`);
      row += 1;
    }
    const wrong: number[] = [];
    for (const [hash, first] of chained) if (table.add(hash, row) !== first) wrong.push(first);
    expect(wrong).toEqual([]);
  });

  it('names the first row when rows are skipped, far apart or out of order', () => {
    const table = new KeyRows();
    const rows = [3, 4, 6, 70_000, 70_001, 2_000_000_000, 5, 1];
    rows.forEach((row, i) => expect(table.add(keyHash([`r${i}`]), row)).toBe(0));
    rows.forEach((row, i) => expect(table.add(keyHash([`r${i}`]), 9)).toBe(row));
  });

  it('tells ["ab", "c"] from ["a", "bc"]', () => {
    expect(keyHash(['ab', 'c'])).not.toBe(keyHash(['a', 'bc']));
  });
});

describe('FirstRows', () => {
  /** Sets `rows` as entries 0…n-1 and reads them all back. */
  function roundTrip(rows: number[]): number[] {
    const first = new FirstRows();
    rows.forEach((row, entry) => first.set(entry, row));
    return rows.map((_, entry) => first.get(entry));
  }

  it('answers consecutive rows over several pages', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => i + 2);
    expect(roundTrip(rows)).toEqual(rows);
  });

  it('widens a page from implicit to skipped counts to full rows, keeping earlier answers', () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => i + 1);
    rows[100] = 150; // skipped rows: the page keeps counts from here
    for (let i = 101; i < 1_000; i += 1) rows[i] = (rows[i - 1] ?? 0) + 1 + (i % 3);
    for (let i = 1_000; i < 70_000; i += 1) rows[i] = (rows[i - 1] ?? 0) + 1;
    rows[5_000] = 900_000; // too far for a 16-bit count: the page holds rows from here
    rows[5_001] = 7; // and out of order
    rows[66_000] = -1; // the second page goes straight to full rows
    expect(roundTrip(rows)).toEqual(rows);
  });
});
