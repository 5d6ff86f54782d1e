import { RowValidator, type DataResource } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import { RowText } from './row-text.js';

const RESOURCE: DataResource = {
  name: '测试',
  items: [
    { name: '名称', dataType: 'C', length: 100 },
    { name: '备注"说明"', dataType: 'M' },
    { name: 'Code', dataType: 'C', length: 10 },
  ],
};

describe('RowText', () => {
  it('writes exactly JSON.stringify of the row object, in item order, with trimmed values', () => {
    const header = ['Code', '名称', '备注"说明"'];
    const columns = [...new RowValidator(RESOURCE, header).schema.columns].sort(
      (a, b) => (RESOURCE.items ?? []).indexOf(a.item) - (RESOURCE.items ?? []).indexOf(b.item),
    );
    const encoder = new RowText(columns);
    for (const values of [
      [' A1 ', '福州\t"闽"\\路', '行1\n行2\u0001'],
      ['', '', ''],
      ['x', '😀 \u2028', '</script>'],
    ]) {
      const object = Object.fromEntries(columns.map((c) => [c.item.name, (values[c.index] ?? '').trim()]));
      expect(Object.keys(object)).toEqual(['名称', '备注"说明"', 'Code']);
      expect(encoder.text(values).text).toBe(JSON.stringify(object));
      expect(encoder.text(values).filled).toBe(Object.values(object).filter((v) => v !== '').length);
    }
  });
});
