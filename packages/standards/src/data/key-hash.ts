/**
 * A compact hash of a row's key values, for the uniqueness check over files of millions of rows:
 * a table from a 52-bit number to the first row costs about 11 bytes a key (below) instead of the
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

/** Entries per page: pages are added, never copied, so growth needs no second copy of them. */
const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;
/** keyHash's low bits that a bucket number always covers, so an entry keeps only the other 32. */
const LOW_BITS = 20;
const LOW = 2 ** LOW_BITS;
/** Buckets never exceed 2³⁰ (entry numbers are 31-bit); chains then grow instead. */
const MAX_BUCKET_BITS = 30;
/** Buckets whose chains are walked side by side while growing (a power of two, ≤ 2²⁰). */
const GROW_BLOCK = 1024;

/**
 * The first row of each key hash, in typed arrays with no per-entry objects for the garbage
 * collector to trace. Entries are numbered in the order their hash first came, and chained by
 * bucket: the bucket number is the hash's low 20 or more bits, so an entry stores only the high
 * 32 bits and the next entry of its bucket (8 bytes), and the bucket heads cost 2–4 bytes a key
 * (at most two entries a bucket on average). Comparing the high bits within a bucket compares
 * all 52, so nothing is lost against keeping the whole hash. The rows cost nothing while they
 * follow the entries one by one (each row a new key), 2 bytes a key while few rows are skipped,
 * 4 otherwise (`FirstRows`). 10 million keys: about 110 MiB (the entry-number table with 52-bit
 * hash and row per entry before it took about 180 MiB). Hashes must be integers in [0, 2⁵²).
 */
export class KeyRows {
  /** Per bucket, 1 + the newest entry in it, or 0: allocated (4 MiB) at the first key. */
  private heads: Int32Array | undefined;
  private bucketBits = LOW_BITS;
  /** Per entry, two Int32 in pages: the hash's high 32 bits and 1 + the next entry, or 0. */
  private readonly links: Int32Array[] = [];
  private readonly rows = new FirstRows();
  private size = 0;

  /** Records `row` for `hash`; returns the earlier row with the same hash, or 0 if none. */
  add(hash: number, row: number): number {
    const heads = this.heads ?? (this.heads = new Int32Array(LOW));
    const bucket = hash & (heads.length - 1);
    const high = (hash / LOW) | 0;
    for (let next = heads[bucket] ?? 0; next !== 0;) {
      const entry = next - 1;
      const page = this.links[entry >>> PAGE_BITS] as Int32Array;
      const at = (entry & (PAGE - 1)) << 1;
      if (page[at] === high) return this.rows.get(entry);
      next = page[at + 1] ?? 0;
    }
    const entry = this.size;
    if ((entry & (PAGE - 1)) === 0) this.links.push(new Int32Array(2 * PAGE));
    const page = this.links[entry >>> PAGE_BITS] as Int32Array;
    const at = (entry & (PAGE - 1)) << 1;
    page[at] = high;
    page[at + 1] = heads[bucket] ?? 0;
    heads[bucket] = entry + 1;
    this.rows.set(entry, row);
    this.size += 1;
    if (this.size > 2 * heads.length && this.bucketBits < MAX_BUCKET_BITS) this.grow(heads);
    return 0;
  }

  /**
   * Doubles the buckets: bucket b splits into b and b + 2^bits by the next hash bit, which the
   * entry's high bits hold. Only the heads are copied, and they are a quarter of the table. The
   * chains of a block of buckets are walked a step each in turn, not one after the other, so
   * the processor waits for many independent entries at once instead of one at a time.
   */
  private grow(heads: Int32Array): void {
    const grown = new Int32Array(heads.length * 2);
    const shift = this.bucketBits - LOW_BITS;
    const cursors = new Int32Array(GROW_BLOCK);
    for (let start = 0; start < heads.length; start += GROW_BLOCK) {
      cursors.set(heads.subarray(start, start + GROW_BLOCK));
      for (let live = true; live;) {
        live = false;
        for (let i = 0; i < GROW_BLOCK; i += 1) {
          const next = cursors[i] ?? 0;
          if (next === 0) continue;
          live = true;
          const entry = next - 1;
          const page = this.links[entry >>> PAGE_BITS] as Int32Array;
          const at = (entry & (PAGE - 1)) << 1;
          cursors[i] = page[at + 1] ?? 0;
          const target = start + i + (((page[at] ?? 0) >>> shift) & 1) * heads.length;
          page[at + 1] = grown[target] ?? 0;
          grown[target] = next;
        }
      }
    }
    this.heads = grown;
    this.bucketBits += 1;
  }
}

/**
 * The row of each entry, by page of 65,536 entries: the first entry's row, then nothing while
 * every entry's row is the previous one's plus one, or the rows skipped since the page's first
 * entry (Uint16) while that fits, or the rows themselves (Int32). A page widens when a row
 * stops fitting its form: a new count page's zeros are right for the entries before it; a new
 * row page copies their rows.
 */
export class FirstRows {
  private readonly firsts: number[] = [];
  private readonly pages: (Uint16Array | Int32Array | undefined)[] = [];

  set(entry: number, row: number): void {
    const index = entry >>> PAGE_BITS;
    const at = entry & (PAGE - 1);
    if (at === 0) {
      this.firsts.push(row);
      this.pages.push(undefined);
      return;
    }
    const skipped = row - (this.firsts[index] ?? 0) - at;
    let page = this.pages[index];
    if (page === undefined) {
      if (skipped === 0) return;
      page = this.pages[index] =
        skipped > 0 && skipped < 0x10000 ? new Uint16Array(PAGE) : this.wide(index, at);
    } else if (page instanceof Uint16Array && (skipped < 0 || skipped >= 0x10000)) {
      page = this.wide(index, at);
    }
    page[at] = page instanceof Uint16Array ? skipped : row;
  }

  get(entry: number): number {
    const index = entry >>> PAGE_BITS;
    const at = entry & (PAGE - 1);
    const page = this.pages[index];
    if (page instanceof Int32Array) return page[at] ?? 0;
    return (this.firsts[index] ?? 0) + at + (page?.[at] ?? 0);
  }

  /** The page's rows so far as Int32, from whatever form it had. */
  private wide(index: number, count: number): Int32Array {
    const wide = new Int32Array(PAGE);
    for (let at = 0; at < count; at += 1) wide[at] = this.get((index << PAGE_BITS) + at);
    this.pages[index] = wide;
    return wide;
  }
}
