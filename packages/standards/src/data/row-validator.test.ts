import { describe, expect, it } from 'vitest';
import type { DataResource } from './row-schema.js';
import { RowValidator } from './row-validator.js';

const RESOURCE: DataResource = {
  name: '企业年报',
  items: [
    { name: '统一社会信用代码', dataType: 'C', length: 18, isKey: true, required: true },
    { name: '年度', dataType: 'C', length: 4, isKey: true, required: true },
    { name: '营业收入', dataType: 'N', length: 14, precision: 2 },
  ],
};

describe('RowValidator', () => {
  it('gives the key in the resource’s item order whatever the file’s column order', () => {
    const straight = new RowValidator(RESOURCE, ['统一社会信用代码', '年度', '营业收入']);
    const swapped = new RowValidator(RESOURCE, ['年度', '营业收入', '统一社会信用代码']);
    expect(straight.keyOf(['91350100MA2XXXXX1', '2025', '1.00'])).toEqual(['91350100MA2XXXXX1', '2025']);
    expect(swapped.keyOf(['2025', '1.00', '91350100MA2XXXXX1'])).toEqual(['91350100MA2XXXXX1', '2025']);
  });

  it('counts every finding but keeps only maxFindings, and takeFindings drains them', () => {
    const validator = new RowValidator(RESOURCE, ['统一社会信用代码', '年度', '营业收入'], {
      maxFindings: 1,
    });
    expect(validator.check({ row: 1, values: ['', '', 'x'] })).toBe(false);
    expect(validator.counts).toEqual({ 'DATA-REQUIRED': 2, 'DATA-NUMBER': 1 });
    expect(validator.omitted).toBe(2);
    expect(validator.takeFindings()).toHaveLength(1);
    expect(validator.findings).toHaveLength(0);
  });
});
