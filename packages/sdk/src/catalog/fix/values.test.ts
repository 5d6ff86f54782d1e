import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excelSerialToDate, isoDate, readDate } from './dates.js';
import { collapseSpaces, removeSpaces, tidyName, toHalfWidth } from './text.js';
import { valueSteps } from './values.js';

describe('Excel serial dates (1900 date system)', () => {
  it('counts from 1900-01-01 = 1 and skips the 29 February 1900 that Excel invents', () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeUndefined();
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(44927)).toBe('2023-01-01');
    expect(excelSerialToDate(45047)).toBe('2023-05-01');
    expect(excelSerialToDate(2958465)).toBe('9999-12-31');
  });

  it('refuses what is no day: 0, negatives, fractions, beyond 9999', () => {
    for (const serial of [0, -1, 44927.5, 2958466, Number.NaN])
      expect(excelSerialToDate(serial)).toBeUndefined();
  });

  it('is one day per serial number from 61 on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 2958464 }), (serial) => {
        const today = Date.parse(excelSerialToDate(serial) as string);
        const tomorrow = Date.parse(excelSerialToDate(serial + 1) as string);
        expect(tomorrow - today).toBe(86_400_000);
      }),
    );
  });
});

describe('readDate', () => {
  it.each([
    ['2023年5月1日', '2023-05-01'],
    ['2023 年 05 月 01 日', '2023-05-01'],
    ['2023年5月1', '2023-05-01'],
    ['2023.5.1', '2023-05-01'],
    ['2023/05/06', '2023-05-06'],
    ['2023-5-6', '2023-05-06'],
    ['20230501', '2023-05-01'],
    ['44927', '2023-01-01'],
    ['2024年2月29日', '2024-02-29'],
  ])('reads %s as %s (year, month, day)', (text, iso) => {
    expect(readDate(text)).toBe(iso);
  });

  it('reads numbers: an Excel serial, or eight digits as YYYYMMDD', () => {
    expect(readDate(44927)).toBe('2023-01-01');
    expect(readDate(20230501)).toBe('2023-05-01');
  });

  it.each([
    ['2023年2月30日', 'no such day'],
    ['2023年2月29日', 'not a leap year'],
    ['2023.13.1', 'no 13th month'],
    ['05/06/2023', 'year last: day and month order unknown'],
    ['23.5.1', 'two-digit year'],
    ['2023年5月', 'no day'],
    ['2023/5-1', 'mixed separators'],
    ['2023', 'a year alone'],
    ['9999', 'a small number is more likely a year than a serial'],
    ['20231301', 'no 13th month'],
  ])('refuses %s (%s)', (text) => {
    expect(readDate(text)).toBeUndefined();
  });

  it('refuses numbers that may be a year, and times of day', () => {
    expect(readDate(2023)).toBeUndefined();
    expect(readDate(44927.25)).toBeUndefined();
  });

  it('returns an ISO date unchanged, and only real days', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString().slice(0, 10);
          expect(readDate(iso)).toBe(iso);
          expect(isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(iso);
        },
      ),
    );
  });
});

describe('text transformations', () => {
  it('folds full-width ASCII and the ideographic space, nothing else', () => {
    expect(toHalfWidth('３３５００５０１０１／０００００２')).toBe('3350050101/000002');
    expect(toHalfWidth('ＭｙＳＱＬ　８')).toBe('MySQL 8');
    expect(toHalfWidth('福州市（试行）、登记')).toBe('福州市(试行)、登记');
  });

  it('tidies names: trims, drops an ideographic space between Chinese characters, keeps one space', () => {
    expect(tidyName('  福州市　企业登记信息 ')).toBe('福州市企业登记信息');
    expect(tidyName('福州市 企业')).toBe('福州市 企业');
    expect(tidyName('MySQL　数据库')).toBe('MySQL 数据库');
    expect(tidyName('企业\t\t名称')).toBe('企业 名称');
    expect(tidyName('企业（个体）　信息')).toBe('企业（个体）信息');
  });

  it('collapses and removes spaces', () => {
    expect(collapseSpaces('  sql   server ')).toBe('sql server');
    expect(removeSpaces(' 9135 0100\tMA2 ')).toBe('91350100MA2');
  });

  it('are idempotent', () => {
    const text = fc.string({
      unit: fc.constantFrom(' ', '\u3000', '\t', '\n', '中', '文', 'a', 'Ｂ', '（', '1', '/'),
    });
    fc.assert(
      fc.property(text, (value) => {
        for (const change of [toHalfWidth, tidyName, collapseSpaces, removeSpaces]) {
          expect(change(change(value))).toBe(change(value));
        }
      }),
    );
  });
});

describe('valueSteps', () => {
  it('chains one kind per step', () => {
    expect(valueSteps('integer', ' １８ ')).toEqual([
      { kind: 'full-width', reason: 'full-width', to: ' 18 ' },
      { kind: 'whitespace', reason: 'trim', to: '18' },
      { kind: 'number', reason: 'number-text', to: 18 },
    ]);
  });

  it('turns a code-table value into its canonical form via the given canonical value', () => {
    expect(valueSteps('coded', ' c ', 'C')).toEqual([
      { kind: 'whitespace', reason: 'trim', to: 'c' },
      { kind: 'letter-case', reason: 'letter-upper', to: 'C' },
    ]);
    expect(valueSteps('coded', 'daily', '每日')).toEqual([
      { kind: 'canonical-label', reason: 'canonical-label', to: '每日' },
    ]);
    expect(valueSteps('coded', 'sometimes', 'sometimes')).toEqual([]);
  });

  it('never empties a value and leaves unknown text alone', () => {
    expect(valueSteps('code', '\u3000')).toEqual([{ kind: 'full-width', reason: 'full-width', to: ' ' }]);
    expect(valueSteps('integer', 'eighteen')).toEqual([]);
    expect(valueSteps('boolean', '也许')).toEqual([]);
    expect(valueSteps('boolean', 'constructor')).toEqual([]);
  });
});
