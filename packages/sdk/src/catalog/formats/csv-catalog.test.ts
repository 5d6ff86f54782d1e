import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readCatalogCsv, writeCatalogCsv } from './csv-catalog.js';
import { TEMPLATE_EXAMPLE } from './template-guide.js';
import { writeBackCells } from './write-back.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-csv-'));
const second = {
  code: '3350010001/000002',
  name: '户口迁移登记信息',
  keywords: ['户籍', '', '迁移'],
  publishedAt: '2023年5月1日',
  items: [{ name: '迁移记录编号', dataType: 'C', length: 32, isKey: true }],
};

describe('the CSV catalog', () => {
  it('writes the Minjiang columns and reads back the same resources, with line locations', async () => {
    const path = join(dir, 'catalog.csv');
    await writeCatalogCsv(path, { resources: [TEMPLATE_EXAMPLE, second] });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFF信息资源代码,信息资源名称,资源属性分类')).toBe(true);
    const loaded = await readCatalogCsv(path);
    expect(loaded).toMatchObject({ format: 'csv', encoding: 'utf-8', warnings: [] });
    expect(loaded.resources).toEqual([TEMPLATE_EXAMPLE, second]);
    expect(loaded.locate('/resources/1/items/0/length')).toEqual({
      file: path,
      row: 5,
      line: 5,
      column: 'AP',
      header: '数据长度',
    });
    expect(loaded.locate('/resources/1/keywords/2')).toMatchObject({ row: 5, column: 'J', header: '关键字' });
  });

  it('writes and reads GBK, and writes fixed cells back in GBK', async () => {
    const path = join(dir, 'gbk.csv');
    await writeCatalogCsv(path, { resources: [TEMPLATE_EXAMPLE, second] }, { encoding: 'gbk' });
    const before = iconv.decode(readFileSync(path), 'gbk').split('\r\n');
    const loaded = await readCatalogCsv(path);
    expect(loaded.encoding).toBe('gbk');
    expect(loaded.resources).toEqual([TEMPLATE_EXAMPLE, second]);

    const fixed = structuredClone({ resources: [TEMPLATE_EXAMPLE, second] });
    fixed.resources[1] = { ...second, publishedAt: '2023-05-01', keywords: ['户籍', '迁移'] };
    await writeBackCells(loaded, fixed, ['/resources/1/publishedAt', '/resources/1/keywords/1']);
    const after = iconv.decode(readFileSync(path), 'gbk').split('\r\n');
    expect(after.filter((line, index) => line !== before[index])).toEqual([
      (before[4] as string).replace('2023年5月1日', '2023-05-01').replace('户籍、、迁移', '户籍、迁移'),
    ]);
    expect((await readCatalogCsv(path)).resources).toEqual(fixed.resources);
  });

  it('refuses a CSV whose first line is not a catalog header', async () => {
    const path = join(dir, 'people.csv');
    writeFileSync(path, '姓名,年龄\n张三,30\n');
    await expect(readCatalogCsv(path)).rejects.toMatchObject({
      code: 'CSV-NO-HEADER',
      location: `${path}:1`,
    });
  });
});
