import { describe, expect, it } from 'vitest';
import { samples, singleSubstitutions, usccArb, usccAuthorityPairs } from '../../test-utils/generators.js';
import { orgCodeCheckChar } from './org-code.js';
import { checkUscc, USCC_CHARSET, usccCheckChar } from './uscc.js';

/** Builds a USCC with correct embedded org-code and final check characters. */
function build(prefix8: string, body8: string): string {
  const first17 = `${prefix8}${body8}${orgCodeCheckChar(body8) as string}`;
  return first17 + (usccCheckChar(first17) as string);
}

describe('checkUscc', () => {
  it.each(['91110000600037341L', '91350100M000100Y43'])('accepts the published example %s', (code) => {
    expect(checkUscc(code)).toEqual({ ok: true, normalized: code });
  });

  it('accepts lowercase letters and surrounding whitespace, and normalises them', () => {
    expect(checkUscc('\u3000 91350100m000100y43 ')).toEqual({ ok: true, normalized: '91350100M000100Y43' });
  });

  it('accepts every generated valid code', () => {
    for (const code of samples(usccArb(), 500))
      expect(checkUscc(code)).toEqual({ ok: true, normalized: code });
  });

  it('rejects every single-character substitution of generated codes (MOD 31 catches them all)', () => {
    for (const code of samples(usccArb(), 25)) {
      for (const { variant } of singleSubstitutions(code, USCC_CHARSET)) {
        expect(checkUscc(variant).ok, variant).toBe(false);
      }
    }
  });

  it.each([
    ['', 'CHK-USCC-LENGTH'],
    ['91110000600037341', 'CHK-USCC-LENGTH'],
    ['91110000600037341LL', 'CHK-USCC-LENGTH'],
    ['91110000600037341I', 'CHK-USCC-CHARS'],
    ['9111000060003734OL', 'CHK-USCC-CHARS'],
    ['911100A0600037341L', 'CHK-USCC-CHARS'],
    ['91110000600037342L', 'CHK-USCC-ORGCODE'],
    ['91110000600037341K', 'CHK-USCC-CHECKSUM'],
  ])('rejects %j with %s', (code, failure) => {
    expect(checkUscc(code).code).toBe(failure);
  });

  it('checks the registration authority and category pair', () => {
    expect(checkUscc(build('94110000', '60003734')).code).toBe('CHK-USCC-AUTHORITY');
    expect(checkUscc(build('99110000', '60003734')).message).toBe(
      '登记管理部门 9（工商）下的机构类别代码（第 2 位）应为 1、2、3 之一，实际为 9',
    );
    expect(checkUscc(build('B1110000', '60003734')).code).toBe('CHK-USCC-AUTHORITY');
    expect(checkUscc(build('Y2110000', '60003734')).code).toBe('CHK-USCC-AUTHORITY');
    for (const pair of usccAuthorityPairs())
      expect(checkUscc(build(`${pair}350100`, '60003734')).ok, pair).toBe(true);
  });

  it('accepts the national code 100000 and historic codes, rejects unknown regions', () => {
    expect(checkUscc(build('11100000', '00001234')).ok).toBe(true);
    expect(checkUscc(build('91110103', '00001234')).ok).toBe(true);
    const unknown = checkUscc(build('91999999', '00001234'));
    expect(unknown.code).toBe('CHK-USCC-REGION');
    expect(unknown.message).toContain('999999');
    expect(checkUscc(build('91000000', '00001234')).code).toBe('CHK-USCC-REGION');
  });

  it('names the expected and found characters, in both languages', () => {
    expect(checkUscc('91110000600037341K').message).toBe('校验码（第 18 位）应为 L，实际为 K');
    expect(checkUscc('91110000600037341K', { lang: 'en' }).message).toBe(
      'The check character (character 18) should be L, got K',
    );
    expect(checkUscc('91110000600037342L').message).toContain('第 17 位应为 1，实际为 2');
    expect(checkUscc('91110000600037341I').message).toContain('“I”');
  });

  it('rejects non-strings with CHK-INPUT-TYPE', () => {
    expect(checkUscc(undefined)).toMatchObject({ ok: false, code: 'CHK-INPUT-TYPE' });
    expect(checkUscc({ uscc: '91110000600037341L' }, { lang: 'en' }).message).toBe(
      'Unified social credit code must be a string, got object',
    );
  });
});

describe('usccCheckChar', () => {
  it('computes the GB 32100 check character and refuses other input', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(usccCheckChar('91350100M000100Y')).toBeUndefined();
    expect(usccCheckChar('91350100M000100YI')).toBeUndefined();
  });
});
