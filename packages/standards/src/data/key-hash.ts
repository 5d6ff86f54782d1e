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

/** Entries per page: pages are added, never copied, so growth needs no second copy in memory. */
const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;

/**
 * An open-addressing table from key hash to the first row that had it, in typed arrays with no
 * per-entry objects for the garbage collector to trace: the slots hold entry numbers (4 bytes,
 * at most three quarters full), the entries their hash and row (12 bytes) in pages of 65,536.
 * About 17–20 bytes a key: 10 million keys take about 190 MB, and growing never copies entries.
 */
export class KeyRows {
  private slots = new Int32Array(1 << 16);
  private readonly hashPages: Float64Array[] = [];
  private readonly rowPages: Int32Array[] = [];
  private size = 0;

  /** Records `row` for `hash`; returns the earlier row with the same hash, or 0 if none. */
  add(hash: number, row: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot] ?? 0;
      if (entry === 0) break;
      if (this.hashOf(entry - 1) === hash)
        return this.rowPages[(entry - 1) >>> PAGE_BITS]?.[(entry - 1) & (PAGE - 1)] ?? 0;
      slot = (slot + 1) & mask;
    }
    const index = this.size;
    if ((index & (PAGE - 1)) === 0) {
      this.hashPages.push(new Float64Array(PAGE));
      this.rowPages.push(new Int32Array(PAGE));
    }
    (this.hashPages[index >>> PAGE_BITS] as Float64Array)[index & (PAGE - 1)] = hash;
    (this.rowPages[index >>> PAGE_BITS] as Int32Array)[index & (PAGE - 1)] = row;
    this.size += 1;
    slots[slot] = this.size;
    if (this.size * 4 > slots.length * 3) this.growSlots();
    return 0;
  }

  private hashOf(index: number): number {
    return (this.hashPages[index >>> PAGE_BITS] as Float64Array)[index & (PAGE - 1)] ?? 0;
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 1; entry <= this.size; entry += 1) {
      let slot = this.hashOf(entry - 1) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry;
    }
    this.slots = slots;
  }
}
