import { describe, expect, it } from 'vitest';
import { isFormulaLike, neutraliseFormula } from './neutralise-formula.js';

describe('neutraliseFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","点我")', '\'=HYPERLINK("http://evil.example","点我")'],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['-5', "'-5"],
  ])('prefixes %j with a single quote', (value, inert) => {
    expect(isFormulaLike(value)).toBe(true);
    expect(neutraliseFormula(value)).toBe(inert);
  });

  it.each([
    '',
    '林雅婷',
    '350104198008068972',
    '2024-01-05',
    ' =1',
    '1=1',
    "'=already quoted",
    '＝全角等号',
    '\n=1',
  ])('leaves %j unchanged', (value) => {
    expect(isFormulaLike(value)).toBe(false);
    expect(neutraliseFormula(value)).toBe(value);
  });
});
