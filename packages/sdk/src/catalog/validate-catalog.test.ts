import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../core/errors.js';
import { readCatalogFile } from './catalog-file.js';
import { validateCatalog } from './validate-catalog.js';

const catalogs = fileURLToPath(new URL('../../../../fixtures/catalogs/', import.meta.url));
const now = new Date('2026-01-01T00:00:00+08:00');

describe('the fixture catalogs', () => {
  it('the Fujian catalog is valid, with at least 30 resources from 8 departments and 3 cities', async () => {
    const catalog = await readCatalogFile(join(catalogs, 'fujian-province.json'));
    const report = validateCatalog(catalog, { now });
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
    expect(report.summary.resources).toBeGreaterThanOrEqual(30);
    const providers = catalog.resources.map(
      (resource) => (resource as { provider: { uscc: string } }).provider.uscc,
    );
    expect(new Set(providers.filter((uscc) => uscc.startsWith('11350000'))).size).toBeGreaterThanOrEqual(8);
    const cities = new Set(providers.map((uscc) => uscc.slice(2, 8)).filter((region) => region !== '350000'));
    expect(cities.size).toBeGreaterThanOrEqual(3);
  });

  it('the YAML copy reads to the same catalog as the JSON', async () => {
    const json = await readCatalogFile(join(catalogs, 'fujian-province.json'));
    const yaml = await readCatalogFile(join(catalogs, 'fujian-province.yaml'));
    expect(yaml).toEqual(json);
  });

  it('the department draft gives exactly its expected findings', async () => {
    const report = validateCatalog(await readCatalogFile(join(catalogs, 'department-draft.yaml')), { now });
    const expected = JSON.parse(
      readFileSync(join(catalogs, 'department-draft.expected.json'), 'utf8'),
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
});

describe('readCatalogFile on bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-catalog-'));

  it('reports a YAML syntax error with its line and column and a code', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'resources:\n  - code: "1"\n    name: [unclosed\n');
    const error = await readCatalogFile(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toMatchObject({ code: 'FILE-PARSE' });
    expect((error as FileFormatError).location).toMatch(/broken\.yaml:\d+:\d+$/);
  });

  it('refuses a document without a resources list', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, '{"title":"not a catalog"}');
    await expect(readCatalogFile(file)).rejects.toMatchObject({ code: 'FILE-SHAPE' });
  });

  it('keeps leading zeros of quoted codes and does not read "no" as false in YAML', async () => {
    const file = join(dir, 'zeros.yaml');
    writeFileSync(file, 'resources:\n  - code: "0591"\n    flag: no\n');
    const catalog = await readCatalogFile(file);
    expect(catalog.resources[0]).toEqual({ code: '0591', flag: 'no' });
  });
});
