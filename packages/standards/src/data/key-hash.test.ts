import { describe, expect, it } from 'vitest';
import { keyHash, KeyRows } from './key-hash.js';

describe('KeyRows', () => {
  it('returns the first row of every repeated key, across many growths, and 0 for new ones', () => {
    const table = new KeyRows();
    const count = 300_000;
    for (let i = 1; i <= count; i += 1) expect(table.add(keyHash([`k${i}`]), i)).toBe(0);
    for (let i = 1; i <= count; i += 997) expect(table.add(keyHash([`k${i}`]), count + i)).toBe(i);
    expect(table.add(keyHash(['new']), 1)).toBe(0);
  });

  it('tells ["ab", "c"] from ["a", "bc"]', () => {
    expect(keyHash(['ab', 'c'])).not.toBe(keyHash(['a', 'bc']));
  });
});
