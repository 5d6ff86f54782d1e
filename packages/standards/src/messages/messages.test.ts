import { describe, expect, it } from 'vitest';
import { MESSAGES, RULES } from '../registry.js';

describe('message catalogue', () => {
  it.each(Object.entries(MESSAGES))('%s has zh-CN and English messages and hints', (_code, def) => {
    expect(def.zh.length).toBeGreaterThan(0);
    expect(def.en.length).toBeGreaterThan(0);
    expect(def.zh).not.toBe(def.en);
    expect(def.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(def.hintZh?.length).toBeGreaterThan(0);
    expect(def.hintEn?.length).toBeGreaterThan(0);
  });

  it('has a message for every rule, and every code has the form PREFIX-NNN', () => {
    const ruleCodes = Object.values(RULES).flatMap((rules) => (rules ?? []).map((rule) => rule.code));
    expect(ruleCodes.filter((code) => MESSAGES[code] === undefined)).toEqual([]);
    expect(new Set(ruleCodes).size).toBe(ruleCodes.length);
    expect(Object.keys(MESSAGES).filter((code) => !/^[A-Z]{3}-\d{3}$/.test(code))).toEqual([]);
  });
});
