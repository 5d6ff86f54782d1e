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
 * An open-addressing table from key hash to the first row that had it, in typed arrays with no
 * per-entry objects for the garbage collector to trace: the slots hold entry numbers (4 bytes,
 * at most three quarters full), the entries their hash and row (12 bytes). About 17–20 bytes a
 * key: 10 million keys fit in about 200 MB.
 */
export class KeyRows {
  private slots = new Int32Array(1 << 16);
  private hashes = new Float64Array(1 << 15);
  private rows = new Int32Array(1 << 15);
  private size = 0;

  /** Records `row` for `hash`; returns the earlier row with the same hash, or 0 if none. */
  add(hash: number, row: number): number {
    const { slots, hashes } = this;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot] ?? 0;
      if (entry === 0) break;
      if (hashes[entry - 1] === hash) return this.rows[entry - 1] ?? 0;
      slot = (slot + 1) & mask;
    }
    if (this.size === this.hashes.length) this.growEntries();
    this.hashes[this.size] = hash;
    this.rows[this.size] = row;
    this.size += 1;
    slots[slot] = this.size;
    if (this.size * 4 > slots.length * 3) this.growSlots();
    return 0;
  }

  /** Entries grow by half: a doubling would need three times the memory while it copies. */
  private growEntries(): void {
    const capacity = Math.ceil(this.hashes.length * 1.5);
    const hashes = new Float64Array(capacity);
    hashes.set(this.hashes);
    const rows = new Int32Array(capacity);
    rows.set(this.rows);
    this.hashes = hashes;
    this.rows = rows;
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 1; entry <= this.size; entry += 1) {
      let slot = (this.hashes[entry - 1] ?? 0) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry;
    }
    this.slots = slots;
  }
}
