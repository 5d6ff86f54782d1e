import { describe, expect, it } from 'vitest';
import { readCell, splitList, writeCell } from './cell-values.js';

describe('readCell keeps values as typed', () => {
  it('keeps text untrimmed and turns a number in a text column into its digits', () => {
    expect(readCell('text', '  福州市 ')).toBe('  福州市 ');
    expect(readCell('text', 350100)).toBe('350100');
    expect(readCell('text', '')).toBeUndefined();
    expect(readCell('text', undefined)).toBeUndefined();
  });

  it('splits lists on 、 , ， ; ； and line breaks, keeping empty and untrimmed elements', () => {
    expect(readCell('list', '人口,,户籍')).toEqual(['人口', '', '户籍']);
    expect(readCell('list', '人口、户籍，身份；核验;地址\n住所\r\n户号')).toEqual([
      '人口',
      '户籍',
      '身份',
      '核验',
      '地址',
      '住所',
      '户号',
    ]);
    expect(readCell('list', ' 人口, 户籍')).toEqual([' 人口', ' 户籍']);
    expect(splitList('接口')).toEqual(['接口']);
  });

  it('reads 是/否 and Y/N/true/false/1/0 as booleans and keeps anything else', () => {
    for (const yes of ['是', 'Y', 'y', 'true', 'TRUE', '1', 1, true])
      expect(readCell('boolean', yes)).toBe(true);
    for (const no of ['否', 'N', 'false', '0', 0, false]) expect(readCell('boolean', no)).toBe(false);
    expect(readCell('boolean', '不确定')).toBe('不确定');
    expect(readCell('boolean', 2)).toBe(2);
  });

  it('turns numeric text in number columns into numbers, and nothing else', () => {
    expect(readCell('integer', '18')).toBe(18);
    expect(readCell('integer', ' 18 ')).toBe(18);
    expect(readCell('number', '2.5')).toBe(2.5);
    expect(readCell('integer', '１８')).toBe('１８');
    expect(readCell('integer', '十八')).toBe('十八');
    expect(readCell('number', 41880000)).toBe(41880000);
  });

  it('converts only real date cells: a serial number and Chinese date text stay as typed', () => {
    expect(readCell('date', new Date(Date.UTC(2023, 4, 1)))).toBe('2023-05-01');
    expect(readCell('date', 44927)).toBe(44927);
    expect(readCell('date', '2023年5月1日')).toBe('2023年5月1日');
    expect(readCell('text', new Date(Date.UTC(2024, 0, 15)))).toBe('2024-01-15');
  });
});

describe('writeCell is the inverse of readCell', () => {
  it('joins lists with 、 and writes booleans as 是/否', () => {
    expect(writeCell('list', ['接口', '数据库'])).toBe('接口、数据库');
    expect(writeCell('boolean', true)).toBe('是');
    expect(writeCell('boolean', false)).toBe('否');
  });

  it('writes values of the wrong shape so that they read back the same', () => {
    expect(writeCell('list', '企业,,登记')).toBe('企业,,登记');
    expect(writeCell('date', 44927)).toBe(44927);
    expect(writeCell('text', { name: 'x' })).toBe('{"name":"x"}');
    expect(writeCell('text', undefined)).toBeUndefined();
    for (const [kind, value] of [
      ['list', ['人口', '', '户籍']],
      ['boolean', true],
      ['integer', 18],
      ['date', '2023年5月1日'],
      ['text', ' 带空格 '],
    ] as const) {
      expect(readCell(kind, writeCell(kind, value))).toEqual(value);
    }
  });
});
