import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../core/errors.js';
import { writeCatalogNationalXlsx, writeCatalogXlsx } from './formats/index.js';
import { detectCatalogFormat, readCatalog, readCatalogs } from './read-catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-read-'));
const catalogs = fileURLToPath(new URL('../../../../fixtures/catalogs/', import.meta.url));
const small = { title: '小目录', resources: [{ code: '3350050001/000001', name: '企业登记基本信息' }] };

async function failure(promise: Promise<unknown>): Promise<FileFormatError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileFormatError);
  return error as FileFormatError;
}

describe('detectCatalogFormat', () => {
  it('tells text formats by extension and a folder as yaml-dir', async () => {
    expect(await detectCatalogFormat(join(catalogs, 'fujian-province.json'))).toBe('json');
    expect(await detectCatalogFormat(join(catalogs, 'fujian-province.yaml'))).toBe('yaml');
    expect(await detectCatalogFormat(join(catalogs, 'department-gbk.csv'))).toBe('csv');
    const yml = join(dir, 'c.YML');
    writeFileSync(yml, 'resources: []\n');
    expect(await detectCatalogFormat(yml)).toBe('yaml');
    expect(await detectCatalogFormat(catalogs)).toBe('yaml-dir');
  });

  it('tells the Minjiang template from the national one by the header row', async () => {
    const minjiang = join(dir, 'minjiang.xlsx');
    const national = join(dir, 'national.xlsx');
    await writeCatalogXlsx(minjiang, small);
    await writeCatalogNationalXlsx(national, small);
    expect(await detectCatalogFormat(minjiang)).toBe('xlsx-minjiang');
    expect(await detectCatalogFormat(national)).toBe('xlsx-national');
  });

  it('refuses an unknown extension, an old .xls workbook and a missing path', async () => {
    const text = join(dir, 'notes.docx');
    writeFileSync(text, 'x');
    expect((await failure(detectCatalogFormat(text))).code).toBe('FILE-TYPE');
    const xls = join(dir, 'old.xls');
    writeFileSync(xls, 'x');
    const old = await failure(detectCatalogFormat(xls));
    expect(old).toMatchObject({ code: 'FILE-TYPE', location: xls });
    expect(old.hint).toContain('.xlsx');
    const missing = await failure(detectCatalogFormat(join(dir, 'nope.yaml')));
    expect(missing).toMatchObject({ code: 'FILE-NOT-FOUND', location: join(dir, 'nope.yaml') });
    expect(missing.message).toContain(join(dir, 'nope.yaml'));
    expect(missing.hint).toBeTruthy();
  });
});

describe('readCatalog', () => {
  it('reads JSON and YAML with locations', async () => {
    const json = await readCatalog(join(catalogs, 'fujian-province.json'));
    const yaml = await readCatalog(join(catalogs, 'fujian-province.yaml'));
    expect(json.format).toBe('json');
    expect(yaml.format).toBe('yaml');
    expect(yaml.resources).toEqual(json.resources);
    expect(yaml.locate('/resources/0/code')).toEqual({
      file: join(catalogs, 'fujian-province.yaml'),
      line:
        readFileSync(join(catalogs, 'fujian-province.yaml'), 'utf8')
          .split('\n')
          .indexOf('  - code: 3350010001/000001') + 1,
    });
  });

  it('reads the GBK fixture CSV to its expected resources, with the detected encoding', async () => {
    const loaded = await readCatalog(join(catalogs, 'department-gbk.csv'));
    const expected = JSON.parse(readFileSync(join(catalogs, 'department-gbk.expected.json'), 'utf8')) as {
      resources: unknown[];
    };
    expect(loaded).toMatchObject({ format: 'csv', encoding: 'gbk' });
    expect(loaded.resources).toEqual(expected.resources);
  });

  it('passes the encoding to the CSV reader', async () => {
    const error = await failure(readCatalog(join(catalogs, 'department-gbk.csv'), { encoding: 'utf-8' }));
    expect(error.code).toBe('CSV-ENCODING-MISMATCH');
  });

  it('reads a folder of YAML files and a workbook', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.yaml'), 'code: A/1\nname: 甲\n');
    expect(await readCatalog(folder)).toMatchObject({
      format: 'yaml-dir',
      resources: [{ code: 'A/1', name: '甲' }],
    });
    const workbook = join(dir, 'read.xlsx');
    await writeCatalogXlsx(workbook, small);
    const loaded = await readCatalog(workbook);
    expect(loaded.format).toBe('xlsx-minjiang');
    expect(loaded.resources).toEqual(small.resources);
  });

  it('lets options.format override the extension', async () => {
    const path = join(dir, 'catalog.txt');
    copyFileSync(join(catalogs, 'fujian-province.json'), path);
    expect((await failure(readCatalog(path))).code).toBe('FILE-TYPE');
    expect((await readCatalog(path, { format: 'json' })).resources.length).toBeGreaterThanOrEqual(30);
  });

  it('reads several catalogs in order and stops at the first that cannot be read', async () => {
    const both = await readCatalogs([
      join(catalogs, 'fujian-province.yaml'),
      join(catalogs, 'department-draft.yaml'),
    ]);
    expect(both.map((catalog) => catalog.path)).toEqual([
      join(catalogs, 'fujian-province.yaml'),
      join(catalogs, 'department-draft.yaml'),
    ]);
    const error = await failure(
      readCatalogs([join(catalogs, 'fujian-province.yaml'), join(dir, 'missing.json')]),
    );
    expect(error.code).toBe('FILE-NOT-FOUND');
  });
});
