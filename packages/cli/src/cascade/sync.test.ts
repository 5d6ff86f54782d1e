import type { CascadeSyncSummary } from '@minjiang/sdk';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../exit-codes.js';
import { syncExit, syncLines } from './sync.js';

const APPLIED: CascadeSyncSummary = {
  hub: '350100',
  mode: 'changes',
  applied: true,
  counts: { create: 2, update: 1, tombstone: 0, unchanged: 0, 'stale-version-ignored': 0 },
  removals: 0,
  live: 3,
  blocked: null,
  cursor: { previous: 4, next: 7 },
  head: 7,
  refused: [],
  error: null,
};
const ISSUE = { code: 'FED-201', severity: 'error' as const, location: '/0/items/1', message: 'another hub' };

describe('cascade sync exit codes and lines', () => {
  it('maps each outcome to its exit code, the most serious first', () => {
    expect(syncExit(APPLIED)).toBe(EXIT.ok);
    expect(syncExit({ ...APPLIED, refused: [ISSUE] })).toBe(EXIT.partial);
    const unreachable = { code: 'HUB_ERR_CASCADE_UNREACHABLE', message: 'ECONNREFUSED' };
    expect(syncExit({ ...APPLIED, applied: false, error: unreachable, refused: [ISSUE] })).toBe(
      EXIT.unreachable,
    );
    expect(
      syncExit({ ...APPLIED, applied: false, error: { code: 'FED-102', message: 'bad signature' } }),
    ).toBe(EXIT.invalid);
    const blocked = { removals: 3, live: 4, share: 0.75, maxShare: 0.1, message: '3 of 4' };
    expect(syncExit({ ...APPLIED, applied: false, blocked })).toBe(EXIT.pending);
  });

  it('says what was applied, and what to do when blocked, in the chosen language', () => {
    expect(syncLines(APPLIED, 'en')[0]).toBe(
      'Synced 350100 (changes): 2 created, 1 updated, 0 removed, 0 unchanged, 0 stale ignored; cursor 4 → 7 (head 7)',
    );
    const blocked = { removals: 3, live: 4, share: 0.75, maxShare: 0.1, message: '3 of 4' };
    const lines = syncLines({ ...APPLIED, applied: false, blocked, refused: [ISSUE] }, 'zh-CN');
    expect(lines[0]).toBe('350100 未同步任何内容；游标仍为 4');
    expect(lines[1]).toContain('minjiang cascade sync 350100 --confirm');
    expect(lines[2]).toBe('拒收条目 [FED-201] /0/items/1 another hub');
  });
});
