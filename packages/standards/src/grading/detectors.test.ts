import { describe, expect, it } from 'vitest';
import { residentIdCheckDigit } from '../checks/resident-id.js';
import { usccCheckChar } from '../checks/uscc.js';
import { detectSample, detectValue, luhnValid, sampleText } from './detectors.js';

/** A resident ID with its right check digit. */
function residentId(first17: string): string {
  return `${first17}${residentIdCheckDigit(first17)}`;
}

describe('value detectors', () => {
  it('residentId: checksum-valid numbers only, a lowercase x accepted', () => {
    expect(detectValue('residentId', '11010519491231002X')).toBe(true);
    expect(detectValue('residentId', '11010519491231002x')).toBe(true);
    expect(detectValue('residentId', residentId('35010419800806897'))).toBe(true);
    expect(detectValue('residentId', '110105194912310021')).toBe(false); // wrong check digit
    expect(detectValue('residentId', '13800138000')).toBe(false);
  });

  it('uscc: checksum-valid codes only', () => {
    const valid = `91350100MA2XN5FL7${usccCheckChar('91350100MA2XN5FL7')}`;
    expect(detectValue('uscc', valid)).toBe(true);
    expect(detectValue('uscc', valid.toLowerCase())).toBe(true);
    const wrong = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
    expect(detectValue('uscc', wrong)).toBe(false);
    expect(detectValue('uscc', '福建省公安厅')).toBe(false);
  });

  it('mobile: 11 digits from 13–19, with or without +86 and separators', () => {
    for (const phone of ['13800138000', '+86 139-5000-1234', '008618912345678', '１３８００１３８０００'])
      expect(detectValue('mobile', phone), phone).toBe(true);
    for (const other of ['12800138000', '0591-87654321', '1380013800', '350102064363'])
      expect(detectValue('mobile', other), other).toBe(false);
  });

  it('personName: 2–4 Han characters after a common surname, compound surnames, middle-dot names', () => {
    for (const name of ['林雅婷', '陈伟', '欧阳娜娜', '诸葛亮', '阿依古丽·买买提'])
      expect(detectValue('personName', name), name).toBe(true);
    for (const other of ['福建省公安厅', '测试1', '存续', 'Lin Yating', '鼓楼'])
      expect(detectValue('personName', other), other).toBe(false);
  });

  it('address: an administrative unit and a locator', () => {
    expect(detectValue('address', '福州市仓山区鼓浪屿路125号')).toBe(true);
    expect(detectValue('address', '福州市晋安区温泉路102号,2单元301室')).toBe(true);
    expect(detectValue('address', '鼓楼区')).toBe(false);
    expect(detectValue('address', '企业法人营业执照')).toBe(false);
  });

  it('bankCard: 16–19 digits passing Luhn, never a resident ID', () => {
    expect(luhnValid('6222021234567890128')).toBe(true);
    expect(detectValue('bankCard', '6222 0212 3456 7890 128')).toBe(true);
    expect(detectValue('bankCard', '4111111111111111')).toBe(true);
    expect(detectValue('bankCard', '4111111111111112')).toBe(false);
    expect(detectValue('bankCard', '123')).toBe(false);
    // a resident ID that happens to pass Luhn is a resident ID, not a card
    const luhnId = Array.from({ length: 1000 }, (_, n) =>
      residentId(`35010419800806${String(n).padStart(3, '0')}`),
    ).find((id) => /^\d{18}$/.test(id) && luhnValid(id)) as string;
    expect(luhnId).toBeDefined();
    expect(detectValue('bankCard', luhnId)).toBe(false);
  });

  it('ignores very long values and never throws on odd input', () => {
    expect(detectValue('personName', '林'.repeat(200))).toBe(false);
    expect(sampleText([null, undefined, '', '  ', 42, { a: 1 }, 'x'])).toEqual(['42', 'x']);
  });

  it('measures hit rates over the non-empty values of a sample', () => {
    const sample = ['13800138000', '13900139000', '', null, '0591-87654321', '18912345678'];
    const [mobile, name] = detectSample(sample, ['mobile', 'personName']);
    expect(mobile).toEqual({ detector: 'mobile', sampled: 4, hits: 3, hitRate: 0.75 });
    expect(name).toEqual({ detector: 'personName', sampled: 4, hits: 0, hitRate: 0 });
    expect(detectSample([], ['mobile'])[0]).toEqual({ detector: 'mobile', sampled: 0, hits: 0, hitRate: 0 });
  });
});
