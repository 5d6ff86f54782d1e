import { describe, expect, it } from 'vitest';
import {
  RESIDENT_ID_ALPHABET,
  TEST_NOW,
  residentIdArb,
  samples,
  singleSubstitutions,
} from '../../test-utils/generators.js';
import { checkResidentId, residentIdCheckDigit } from './resident-id.js';

const now = TEST_NOW;
const withCheck = (first17: string): string => first17 + (residentIdCheckDigit(first17) as string);

describe('checkResidentId', () => {
  it.each(['360426199101010071', '34052419800101001X', '11010519491231002X'])(
    'accepts the published example %s',
    (id) => {
      expect(checkResidentId(id)).toEqual({ ok: true, normalized: id });
    },
  );

  it('accepts a lowercase x and surrounding whitespace, including U+3000, and normalises them', () => {
    expect(checkResidentId(' \u300034052419800101001x\t\n')).toEqual({
      ok: true,
      normalized: '34052419800101001X',
    });
  });

  it('folds full-width digits typed with a Chinese input method', () => {
    expect(checkResidentId('３６０４２６１９９１０１０１００７１').normalized).toBe('360426199101010071');
  });

  it('accepts every generated valid number', () => {
    for (const id of samples(residentIdArb(), 500))
      expect(checkResidentId(id, { now })).toEqual({ ok: true, normalized: id });
  });

  it('rejects every single-character substitution of generated numbers (MOD 11-2 catches them all)', () => {
    for (const id of samples(residentIdArb(), 25)) {
      for (const { variant } of singleSubstitutions(id, RESIDENT_ID_ALPHABET)) {
        expect(checkResidentId(variant, { now }).ok, variant).toBe(false);
      }
    }
  });

  it('rejects the 15-digit legacy form with a message that names it', () => {
    const result = checkResidentId('360426910101007');
    expect(result.code).toBe('CHK-RID-LENGTH');
    expect(result.message).toContain('15 位旧号码');
    expect(checkResidentId('360426910101007', { lang: 'en' }).message).toContain('legacy 15-digit');
  });

  it.each([
    ['', 'CHK-RID-LENGTH'],
    ['36042619910101007', 'CHK-RID-LENGTH'],
    ['3604261991010100711', 'CHK-RID-LENGTH'],
    ['36042619910101007A', 'CHK-RID-CHARS'],
    ['3604261991010100X1', 'CHK-RID-CHARS'],
    ['36042619910101 071', 'CHK-RID-CHARS'],
    ['360426199101010072', 'CHK-RID-CHECKSUM'],
  ])('rejects %j with %s', (id, code) => {
    expect(checkResidentId(id, { now }).code).toBe(code);
  });

  it('says what it expected and what it found', () => {
    expect(checkResidentId('360426199101010072').message).toBe('校验码（第 18 位）应为 1，实际为 2');
    expect(checkResidentId('360426199101010072', { lang: 'en' }).message).toBe(
      'The check character (character 18) should be 1, got 2',
    );
    expect(checkResidentId('36042619910101007A').message).toContain('实际为 “A”');
    expect(checkResidentId('3604261991010\u200b0071').message).toContain('第 14 位实际为 U+200B');
  });

  it('rejects an unknown region code and accepts an abolished one (110103 崇文区)', () => {
    const unknown = checkResidentId(withCheck('99999919910101007'));
    expect(unknown.code).toBe('CHK-RID-REGION');
    expect(unknown.message).toContain('999999');
    expect(checkResidentId(withCheck('11010319800101001')).ok).toBe(true);
  });

  it('accepts codes replaced by the 2021 Fujian changes and the new codes', () => {
    for (const region of ['350402', '350403', '350427', '350404', '350405', '350604', '350605']) {
      expect(checkResidentId(withCheck(`${region}20000101001`), { now }).ok, region).toBe(true);
    }
  });

  it('knows leap years: 0229 only in leap years, 1900 is not one, 2000 is', () => {
    expect(checkResidentId(withCheck('11010520000229001'), { now }).ok).toBe(true);
    expect(checkResidentId(withCheck('11010519960229001'), { now }).ok).toBe(true);
    expect(checkResidentId(withCheck('11010519000229001'), { now }).code).toBe('CHK-RID-BIRTHDATE');
    expect(checkResidentId(withCheck('11010520230229001'), { now }).code).toBe('CHK-RID-BIRTHDATE');
    expect(checkResidentId(withCheck('11010519910431001'), { now }).code).toBe('CHK-RID-BIRTHDATE');
    expect(checkResidentId(withCheck('11010519911301001'), { now }).code).toBe('CHK-RID-BIRTHDATE');
    expect(checkResidentId(withCheck('11010519910100001'), { now }).code).toBe('CHK-RID-BIRTHDATE');
  });

  it('rejects a birth date in the future, relative to the given now, in Beijing time', () => {
    const id = withCheck('11010520250701001');
    expect(checkResidentId(id, { now }).code).toBe('CHK-RID-BIRTHDATE');
    expect(checkResidentId(id, { now }).message).toContain('晚于当前日期 2025-06-30');
    // 2025-06-30T16:00Z is already 1 July in Beijing.
    expect(checkResidentId(id, { now: new Date('2025-06-30T16:00:00Z') }).ok).toBe(true);
    expect(checkResidentId(id, { now: new Date('2025-06-30T15:59:59Z') }).ok).toBe(false);
  });

  it('rejects birth dates before 1850-01-01 and accepts 1850-01-01', () => {
    expect(checkResidentId(withCheck('11010518491231001'), { now }).code).toBe('CHK-RID-BIRTHDATE');
    expect(checkResidentId(withCheck('11010518500101001'), { now }).ok).toBe(true);
  });

  it('ignores an invalid now and uses the clock', () => {
    expect(checkResidentId('360426199101010071', { now: new Date(Number.NaN) }).ok).toBe(true);
  });

  it('rejects non-strings with CHK-INPUT-TYPE, numbers included (they cannot hold X or 18 digits)', () => {
    expect(checkResidentId(360426199101010)).toMatchObject({ ok: false, code: 'CHK-INPUT-TYPE' });
    expect(checkResidentId(null).message).toBe('公民身份号码应为字符串，实际为 null');
  });
});

describe('residentIdCheckDigit', () => {
  it('computes the MOD 11-2 digit and refuses anything but 17 digits', () => {
    expect(residentIdCheckDigit('34052419800101001')).toBe('X');
    expect(residentIdCheckDigit('3405241980010100')).toBeUndefined();
    expect(residentIdCheckDigit('3405241980010100A')).toBeUndefined();
  });
});
