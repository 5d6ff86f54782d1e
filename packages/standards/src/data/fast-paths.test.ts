import {
  checkOrgCode,
  checkResidentId,
  checkUscc,
  orgCodeCheckChar,
  residentIdCheckDigit,
  usccCheckChar,
} from '../checks/index.js';
import { describe, expect, it } from 'vitest';
import { orgCodeFastPath, residentIdFastPath, usccFastPath } from './fast-paths.js';

let seed = 7;
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
}
const pick = (chars: string): string => chars.charAt(Math.floor(random() * chars.length));
const many = (chars: string, count: number): string =>
  Array.from({ length: count }, () => pick(chars)).join('');

/** Valid values, and copies with one character changed: the fast path must never accept more. */
function variants(valid: string, alphabet: string): string[] {
  const at = Math.floor(random() * valid.length);
  return [
    valid,
    valid.slice(0, at) + pick(alphabet) + valid.slice(at + 1),
    valid.toLowerCase(),
    valid.slice(1),
  ];
}

const now = new Date('2026-01-01T00:00:00+08:00');
const REGIONS = ['350102', '110101', '350100', '999999', '350199', '340524'];

describe('fast paths agree with the standards checks', () => {
  it('resident IDs: accepted only when checkResidentId accepts, and every valid one is accepted', () => {
    const fast = residentIdFastPath(now);
    let accepted = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const birth = `${pick('12')}${pick('089')}${many('0123456789', 2)}${pick('01')}${pick('0123456789')}${pick('0123')}${pick('0123456789')}`;
      const first17 = `${REGIONS[i % REGIONS.length] ?? ''}${birth}${many('0123456789', 3)}`;
      const valid = first17 + (residentIdCheckDigit(first17) ?? '0');
      for (const value of variants(valid, '0123456789Xx')) {
        const ok = checkResidentId(value, { now }).ok && checkResidentId(value, { now }).normalized === value;
        expect(fast(value), value).toBe(ok);
        if (ok) accepted += 1;
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });

  it('USCCs and organisation codes', () => {
    const uscc = usccFastPath();
    const org = orgCodeFastPath();
    const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (let i = 0; i < 20_000; i += 1) {
      const body = many('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 8);
      const orgCode = body + (orgCodeCheckChar(body) ?? '0');
      const first17 = `${pick('159NY')}${pick('1239')}${REGIONS[i % REGIONS.length] ?? ''}${orgCode}`;
      const code = first17 + (usccCheckChar(first17) ?? '0');
      for (const value of variants(code, charset)) {
        const result = checkUscc(value);
        expect(uscc(value), value).toBe(result.ok && result.normalized === value);
      }
      for (const value of [...variants(orgCode, charset), `${body}-${orgCode.charAt(8)}`]) {
        expect(org(value), value).toBe(checkOrgCode(value).ok && value.toUpperCase() === value);
      }
    }
  });
});
