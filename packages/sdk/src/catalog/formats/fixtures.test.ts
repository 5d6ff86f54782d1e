import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCatalogFile } from '../catalog-file.js';
import { validateCatalog } from '../validate-catalog.js';
import { readCatalogXlsx } from './xlsx-read.js';
import { writeCatalogXlsx } from './xlsx-minjiang.js';
import { writeCatalogNationalXlsx } from './xlsx-national.js';

const catalogs = fileURLToPath(new URL('../../../../../fixtures/catalogs/', import.meta.url));
const now = new Date('2026-01-01T00:00:00+08:00');
/** The date scripts/catalog-fixtures.js stamps into the fixtures. */
const fixtureDate = new Date(Date.UTC(2025, 0, 1));

describe('the Fujian catalog as spreadsheets', () => {
  it.each([
    ['fujian-province.xlsx', 'xlsx-minjiang'],
    ['fujian-province.national.xlsx', 'xlsx-national'],
  ])('%s reads back to exactly the resources of the YAML file', async (name, format) => {
    const yaml = await readCatalogFile(join(catalogs, 'fujian-province.yaml'));
    const loaded = await readCatalogXlsx(join(catalogs, name));
    expect(loaded.format).toBe(format);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.resources).toHaveLength(39);
    expect(loaded.resources).toEqual(yaml.resources);
    expect(validateCatalog(loaded, { now }).summary).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('the committed files are what the writers produce today (run scripts/catalog-fixtures.js)', async () => {
    const yaml = await readCatalogFile(join(catalogs, 'fujian-province.yaml'));
    const dir = mkdtempSync(join(tmpdir(), 'minjiang-fixtures-'));
    await writeCatalogXlsx(join(dir, 'minjiang.xlsx'), yaml, { date: fixtureDate });
    await writeCatalogNationalXlsx(join(dir, 'national.xlsx'), yaml, { date: fixtureDate });
    expect(
      readFileSync(join(dir, 'minjiang.xlsx')).equals(readFileSync(join(catalogs, 'fujian-province.xlsx'))),
    ).toBe(true);
    expect(
      readFileSync(join(dir, 'national.xlsx')).equals(
        readFileSync(join(catalogs, 'fujian-province.national.xlsx')),
      ),
    ).toBe(true);
  });
});

describe('the department catalog typed in Excel', () => {
  const path = join(catalogs, 'department-excel.xlsx');

  it('gives exactly its expected findings', async () => {
    const report = validateCatalog(await readCatalogXlsx(path), { now });
    const expected = JSON.parse(
      readFileSync(join(catalogs, 'department-excel.expected.json'), 'utf8'),
    ) as unknown[];
    const found = report.resources.flatMap((resource) =>
      resource.issues.map((issue) => ({
        resource: resource.index,
        code: issue.code,
        location: issue.location,
      })),
    );
    expect(found).toEqual(expected);
  });

  it('places each finding on the cell that holds the mistake', async () => {
    const loaded = await readCatalogXlsx(path);
    const cell = (pointer: string) => {
      const location = loaded.locate(pointer);
      return `${location.sheet ?? ''}!${location.column ?? ''}${location.row ?? ''}`;
    };
    expect(
      [
        '/resources/0/code',
        '/resources/0/name',
        '/resources/0/keywords/1',
        '/resources/1/format/type',
        '/resources/1/publishedAt',
        '/resources/2/publishedAt',
        '/resources/3/provider/uscc',
      ].map(cell),
    ).toEqual(['目录!A2', '目录!B2', '目录!J2', '目录!N9', '目录!X9', '目录!X13', '目录!F17']);
    expect(loaded.resources[1]).toMatchObject({ publishedAt: 44927, sharing: { type: '有条件' } });
    expect(loaded.resources[2]).toMatchObject({ sharing: { type: 'conditional' } });
  });

  it('holds only mechanically fixable mistakes: fixed by hand, it is valid', async () => {
    const loaded = await readCatalogXlsx(path);
    const [enterprises, individuals, penalties, complaints] = structuredClone(loaded.resources) as Record<
      string,
      Record<string, unknown>
    >[];
    Object.assign(enterprises as object, {
      code: '3350050101/000002',
      name: '福州市企业登记基本信息',
      keywords: ['企业', '登记'],
    });
    Object.assign(individuals as object, { publishedAt: '2023-01-01' });
    (individuals?.format as Record<string, unknown>).type = 'mysql';
    Object.assign(penalties as object, { publishedAt: '2023-05-01' });
    (complaints?.provider as Record<string, unknown>).uscc = '11350100FJ01000501';
    const report = validateCatalog(
      { resources: [enterprises, individuals, penalties, complaints, loaded.resources[4]] },
      { now },
    );
    expect(report.summary).toMatchObject({ resources: 5, valid: 5, errors: 0, warnings: 0 });
  });
});
