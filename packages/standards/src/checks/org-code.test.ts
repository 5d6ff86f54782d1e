import { describe, expect, it } from 'vitest';
import { ORG_CODE_ALPHABET, orgCodeArb, samples, singleSubstitutions } from '../../test-utils/generators.js';
import { checkOrgCode, orgCodeCheckChar } from './org-code.js';

const valueOf = (ch: string): number => ORG_CODE_ALPHABET.indexOf(ch);

describe('checkOrgCode', () => {
  it('accepts the published example in both forms and normalises to the bare 9 characters', () => {
    expect(checkOrgCode('60003734-1')).toEqual({ ok: true, normalized: '600037341' });
    expect(checkOrgCode('600037341')).toEqual({ ok: true, normalized: '600037341' });
    expect(checkOrgCode('M000100Y4')).toEqual({ ok: true, normalized: 'M000100Y4' });
  });

  it('accepts lowercase letters, a full-width hyphen and surrounding whitespace', () => {
    expect(checkOrgCode(' m000100y－4\u3000')).toEqual({ ok: true, normalized: 'M000100Y4' });
  });

  it('maps a check value of 10 to X and 11 to 0', () => {
    const bodies = samples(orgCodeArb(), 2000).map((code) => code.slice(0, 8));
    const x = bodies.find((body) => orgCodeCheckChar(body) === 'X') as string;
    const zero = bodies.find((body) => orgCodeCheckChar(body) === '0') as string;
    expect(checkOrgCode(`${x}-X`).ok).toBe(true);
    expect(checkOrgCode(`${zero}-0`).ok).toBe(true);
  });

  it('accepts every generated valid code, with and without the hyphen', () => {
    for (const code of samples(orgCodeArb(), 500)) {
      expect(checkOrgCode(code)).toEqual({ ok: true, normalized: code });
      expect(checkOrgCode(`${code.slice(0, 8)}-${code[8]}`).ok).toBe(true);
    }
  });

  it('rejects every single-character substitution except those GB 11714 cannot see', () => {
    // MOD 11 cannot tell apart body characters whose values differ by a multiple of 11 (0/B/M/X,
    // 1/C/N/Y, …): such a substitution keeps the same check character. Everything else is caught.
    let blind = 0;
    for (const code of samples(orgCodeArb(), 25)) {
      for (const { position, variant } of singleSubstitutions(code, ORG_CODE_ALPHABET)) {
        const invisible =
          position < 8 &&
          (valueOf(variant[position] as string) - valueOf(code[position] as string)) % 11 === 0;
        if (invisible) blind++;
        expect(checkOrgCode(variant).ok, variant).toBe(invisible);
      }
    }
    expect(blind).toBeGreaterThan(0);
  });

  it.each([
    ['', 'CHK-ORG-LENGTH'],
    ['60003734', 'CHK-ORG-LENGTH'],
    ['60003734-12', 'CHK-ORG-LENGTH'],
    ['6000373412', 'CHK-ORG-LENGTH'],
    ['6000-37341', 'CHK-ORG-CHARS'],
    ['6000373_1', 'CHK-ORG-CHARS'],
    ['60003734A', 'CHK-ORG-CHARS'],
    ['600037342', 'CHK-ORG-CHECKSUM'],
  ])('rejects %j with %s', (code, failure) => {
    expect(checkOrgCode(code).code).toBe(failure);
  });

  it('says what it expected and what it found', () => {
    expect(checkOrgCode('60003734-2').message).toBe('组织机构代码的校验码应为 1，实际为 2');
    expect(checkOrgCode('60003734-2', { lang: 'en' }).message).toBe(
      'The check character of the organisation code should be 1, got 2',
    );
    expect(checkOrgCode('6000-37341').message).toContain('连字符');
  });

  it('rejects non-strings with CHK-INPUT-TYPE', () => {
    expect(checkOrgCode(600037341)).toMatchObject({ ok: false, code: 'CHK-INPUT-TYPE' });
  });
});

describe('orgCodeCheckChar', () => {
  it('refuses anything but 8 characters of 0-9A-Z', () => {
    expect(orgCodeCheckChar('60003734')).toBe('1');
    expect(orgCodeCheckChar('6000373')).toBeUndefined();
    expect(orgCodeCheckChar('6000373a')).toBeUndefined();
  });
});
