import { describe, expect, it } from 'vitest';
import { NonceWindow } from './nonce-window.js';

const WINDOW = 600_000;
const key = (n: number) => `ak-${n % 7}\nnonce-${n.toString(36)}-${(n * 2_654_435_761) >>> 0}`;

describe('NonceWindow', () => {
  it('sees a key until its end, and no key it was not given', () => {
    const window = new NonceWindow();
    window.remember('ak-1\nn-1', 1_000 + WINDOW, 1_000);
    expect(window.seen('ak-1\nn-1', 1_000)).toBe(true);
    expect(window.seen('ak-1\nn-1', 1_000 + WINDOW - 1)).toBe(true);
    expect(window.seen('ak-1\nn-1', 1_000 + WINDOW)).toBe(false);
    expect(window.seen('ak-2\nn-1', 1_000)).toBe(false);
    expect(window.seen('ak-1\nn-1 ', 1_000)).toBe(false);
  });

  it('keeps every one of 200,000 keys through its growth, at most 64 bytes a key', () => {
    const window = new NonceWindow();
    for (let n = 0; n < 200_000; n++) window.remember(key(n), 10 + WINDOW, 10);
    let missing = 0;
    let strangers = 0;
    for (let n = 0; n < 200_000; n++) {
      if (!window.seen(key(n), 20)) missing++;
      if (window.seen(key(n + 200_000), 20)) strangers++;
    }
    expect({ missing, strangers }).toEqual({ missing: 0, strangers: 0 });
    expect(window.bytes).toBeLessThanOrEqual(200_000 * 64);
  });

  it('drops a time slice only once every key in it has expired', () => {
    const window = new NonceWindow();
    window.remember('ak\nearly', WINDOW, 0);
    window.remember('ak\nlater', 70_000 + WINDOW, 70_000);
    window.remember('ak\nlater-still', 130_000 + WINDOW, 130_000);
    const three = window.bytes;
    window.forget(WINDOW + 1);
    expect(window.seen('ak\nlater', WINDOW + 1)).toBe(true);
    expect(window.bytes).toBe((three * 2) / 3);
    window.forget(130_000 + WINDOW);
    expect(window.bytes).toBe(0);
    expect(window.seen('ak\nlater-still', 130_000 + WINDOW - 1)).toBe(false);
  });

  it('holds memory for the last window of traffic only, however long it runs', () => {
    const window = new NonceWindow();
    let n = 0;
    // 30 minutes at 100 calls a second, forgotten as the release batches do.
    for (let at = 0; at < 1_800_000; at += 1_000) {
      window.forget(at);
      for (let i = 0; i < 100; i++) window.remember(key(n++), at + WINDOW, at);
    }
    expect(window.seen(key(n - 1), 1_800_000)).toBe(true);
    expect(window.seen(key(0), 1_800_000)).toBe(false);
    // 660 s at most (the window and one slice) of 100 keys a second, each at most 64 bytes.
    expect(window.bytes).toBeLessThanOrEqual(660 * 100 * 64);
  });
});
