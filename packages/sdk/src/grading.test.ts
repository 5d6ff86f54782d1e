import { describe, expect, it } from 'vitest';
import type { MinjiangError } from './core/errors.js';
import { parseGradeReviewFile } from './grading.js';

function failure(text: string, lang: 'zh-CN' | 'en' = 'zh-CN'): MinjiangError {
  try {
    parseGradeReviewFile(text, 'review.json', lang);
  } catch (error) {
    return error as MinjiangError;
  }
  throw new Error('expected a failure');
}

describe('grade review files', () => {
  it('read an array or {decisions}, keeping only what the hub takes', () => {
    const decisions = [
      { id: 'GP-2026-1', decision: 'accept', note: 'ignored' },
      { id: 'GP-2026-2', decision: 'override', grade: 'general-4', reason: '含手机号' },
      { id: 'GP-2026-3', decision: 'reject', reason: '维持原级' },
    ];
    const expected = [
      { id: 'GP-2026-1', decision: 'accept' },
      { id: 'GP-2026-2', decision: 'override', grade: 'general-4', reason: '含手机号' },
      { id: 'GP-2026-3', decision: 'reject', reason: '维持原级' },
    ];
    expect(parseGradeReviewFile(JSON.stringify(decisions), 'f')).toEqual(expected);
    expect(parseGradeReviewFile(JSON.stringify({ decisions }), 'f')).toEqual(expected);
  });

  it('refuse, before anything is sent, a file that is not JSON or not a list', () => {
    expect(failure('{oops')).toMatchObject({ code: 'GRADE-REVIEW-FILE', location: 'review.json' });
    expect(failure('{"x": 1}', 'en').message).toMatch(/array of decisions/);
  });

  it('name the entry and what is wrong with it', () => {
    const cases: [object, RegExp][] = [
      [{ decision: 'accept' }, /缺少 id/],
      [{ id: 'a', decision: 'maybe' }, /accept、reject 或 override/],
      [{ id: 'a', decision: 'reject' }, /reject 须填写 reason/],
      [{ id: 'a', decision: 'override', reason: 'x', grade: '五级' }, /不是 GB\/T 43697 的级别/],
    ];
    for (const [entry, message] of cases) {
      const error = failure(JSON.stringify([{ id: 'ok', decision: 'accept' }, entry]));
      expect(error.message).toMatch(/^第 2 项决定不正确/);
      expect(error.message).toMatch(message);
      expect(error.location).toBe('review.json#/1');
      expect(error.hint).toContain('override');
    }
  });
});
