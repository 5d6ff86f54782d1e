/**
 * A compact hash of a row's key values, for the uniqueness check over files of millions of rows:
 * a Map from a 52-bit number to the first row costs a few dozen bytes per row instead of the
 * key strings themselves. Two different keys collide with probability about n²/2⁵³ over n rows
 * (≈ 0.01 % for one million rows, ≈ 1 % for ten million), and a collision shows up as a false
 * duplicate, never as a missed one; the finding names both rows, so a person can tell.
 */

/** Two independent 32-bit FNV-1a-style lanes over the UTF-16 units, joined into 52 bits. */
export function keyHash(values: readonly string[]): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ values.length;
  for (const value of values) {
    for (let i = 0; i < value.length; i += 1) {
      const code = value.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995);
      b ^= b >>> 15;
    }
    // A separator, so ["ab", "c"] and ["a", "bc"] differ.
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x5bd1e995);
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b ^= b >>> 16;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 13;
  return (a >>> 0) * 0x100000 + (b >>> 12);
}

/**
 * An open-addressing table from key hash to the first row that had it: 12 bytes a slot in typed
 * arrays, at most half full, so about 24–48 bytes a row with no per-entry objects for the garbage
 * collector to trace (a Map of one million heap numbers costs several times that).
 */
export class KeyRows {
  private hashes = new Float64Array(1 << 16);
  private rows = new Int32Array(1 << 16);
  private size = 0;

  /** Records `row` for `hash`; returns the earlier row with the same hash, or 0 if none. */
  add(hash: number, row: number): number {
    const key = hash === 0 ? 1 : hash; // 0 marks an empty slot
    const mask = this.hashes.length - 1;
    let slot = key & mask;
    for (;;) {
      const found = this.hashes[slot];
      if (found === 0) break;
      if (found === key) return this.rows[slot] ?? 0;
      slot = (slot + 1) & mask;
    }
    this.hashes[slot] = key;
    this.rows[slot] = row;
    this.size += 1;
    if (this.size * 2 > this.hashes.length) this.grow();
    return 0;
  }

  private grow(): void {
    const { hashes, rows } = this;
    this.hashes = new Float64Array(hashes.length * 2);
    this.rows = new Int32Array(hashes.length * 2);
    const mask = this.hashes.length - 1;
    for (let i = 0; i < hashes.length; i += 1) {
      const key = hashes[i] ?? 0;
      if (key === 0) continue;
      let slot = key & mask;
      while (this.hashes[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[slot] = key;
      this.rows[slot] = rows[i] ?? 0;
    }
  }
}
