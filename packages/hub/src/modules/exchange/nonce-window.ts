/**
 * The embedded hub's replay window in memory: which `keyid\nnonce` keys came, and until when
 * (ms) each is remembered. A key is kept as a seeded 64-bit hash with its end, in open-addressing
 * tables of typed arrays — 16 bytes a slot, at most half full — so a call leaves no object on the
 * heap. A `Map` of strings held ≈ 190 bytes and a long-lived object per call, which the garbage
 * collector marked again and again for the 600 s of the window (0.68 GB at 6k calls a second).
 *
 * Keys go to the table of their time slice (GENERATION_MS of arrival); a slice is dropped whole
 * once every key in it has expired, so memory follows the last 600 s of traffic, bursts included.
 * A replay always finds its hash. Two different keys share one with probability n / 2^64 (n keys
 * in the window): such a call is refused as a replay — never let through — and the client, whose
 * nonces are random, sends a new one. The seeds are random per hub, so no client can aim at
 * another's hashes.
 */
const GENERATION_MS = 60_000;
const FIRST_CAPACITY = 1 << 10;

/** Seeded 64-bit hash of a string (two 32-bit lanes, cyrb53's mixing). */
function hashOf(key: string, seeds: Uint32Array): { hi: number; lo: number } {
  let h1 = seeds[0]! ^ key.length;
  let h2 = seeds[1]! ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x9e3779b1);
    h2 = Math.imul(h2 ^ c, 0x5f356495);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  const hi = h1 >>> 0;
  const lo = h2 >>> 0;
  // (0, 0) marks an empty slot.
  return hi === 0 && lo === 0 ? { hi, lo: 1 } : { hi, lo };
}

/** One time slice: a linear-probing table of (hash, until), grown by doubling. */
class Generation {
  private hi = new Uint32Array(FIRST_CAPACITY);
  private lo = new Uint32Array(FIRST_CAPACITY);
  private until = new Float64Array(FIRST_CAPACITY);
  private count = 0;
  /** The latest end of any key here: the slice is dropped once it has passed. */
  lastUntil = 0;

  constructor(readonly slice: number) {}

  get capacity(): number {
    return this.hi.length;
  }

  /** The slot holding the hash, or the empty slot where it would go. */
  private slotOf(hi: number, lo: number): number {
    const mask = this.hi.length - 1;
    let slot = lo & mask;
    while (this.hi[slot] !== hi || this.lo[slot] !== lo) {
      if (this.hi[slot] === 0 && this.lo[slot] === 0) return slot;
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** The end of the key's memory here, or 0 when it is not here. */
  untilOf(hi: number, lo: number): number {
    const slot = this.slotOf(hi, lo);
    return this.hi[slot] === hi && this.lo[slot] === lo ? this.until[slot]! : 0;
  }

  put(hi: number, lo: number, until: number): void {
    if ((this.count + 1) * 2 > this.hi.length) this.grow();
    const slot = this.slotOf(hi, lo);
    if (this.hi[slot] === 0 && this.lo[slot] === 0) this.count++;
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.until[slot] = Math.max(this.until[slot]!, until);
    this.lastUntil = Math.max(this.lastUntil, until);
  }

  private grow(): void {
    const { hi, lo, until } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(hi.length * 2);
    this.until = new Float64Array(hi.length * 2);
    for (let slot = 0; slot < hi.length; slot++) {
      if (hi[slot] === 0 && lo[slot] === 0) continue;
      const to = this.slotOf(hi[slot]!, lo[slot]!);
      this.hi[to] = hi[slot]!;
      this.lo[to] = lo[slot]!;
      this.until[to] = until[slot]!;
    }
  }
}

export class NonceWindow {
  private readonly seeds = crypto.getRandomValues(new Uint32Array(2));
  /** Oldest slice first. */
  private generations: Generation[] = [];

  /** Whether the key is remembered past `at` (ms). */
  seen(key: string, at: number): boolean {
    const { hi, lo } = hashOf(key, this.seeds);
    return this.generations.some((generation) => generation.untilOf(hi, lo) > at);
  }

  remember(key: string, until: number, at: number): void {
    const { hi, lo } = hashOf(key, this.seeds);
    const slice = Math.floor(at / GENERATION_MS);
    let newest = this.generations.at(-1);
    if (!newest || newest.slice < slice) {
      newest = new Generation(slice);
      this.generations.push(newest);
    }
    newest.put(hi, lo, until);
  }

  /** Drops the slices whose every key's window ended by `at`. */
  forget(at: number): void {
    const live = this.generations.findIndex((generation) => generation.lastUntil > at);
    this.generations = live < 0 ? [] : this.generations.slice(live);
  }

  /** Bytes held by the tables (for tests and benchmarks). */
  get bytes(): number {
    return this.generations.reduce((sum, generation) => sum + generation.capacity * 16, 0);
  }
}
