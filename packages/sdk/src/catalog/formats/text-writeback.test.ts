import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../core/errors.js';
import type { CatalogFile } from '../catalog-file.js';
import { readTextCatalog, writeBackText, writeTextCatalog } from './text.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-text-write-'));
const catalogs = fileURLToPath(new URL('../../../../../fixtures/catalogs/', import.meta.url));
let counter = 0;

function fresh(name: string, content?: string): string {
  const path = join(dir, `${(counter += 1)}-${name}`);
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

/** A resource as the tests edit it. */
interface Editable {
  [key: string]: unknown;
  code: string;
  name: string;
  n: number;
  provider: { regionCode: string };
  items: [{ dataType: string }, ...{ dataType: string }[]];
}

// Typed as at least two resources: each test edits ones its file has.
function clone(catalog: CatalogFile): CatalogFile & { resources: [Editable, Editable, ...Editable[]] } {
  return structuredClone({
    title: catalog.title,
    version: catalog.version,
    resources: catalog.resources,
  }) as never;
}

const noTempFiles = (folder: string): string[] => readdirSync(folder).filter((name) => name.endsWith('.tmp'));

describe('writeTextCatalog', () => {
  const tricky = {
    title: '测试',
    resources: [
      {
        code: '0591',
        a: 'no',
        b: '2019-06-28',
        c: '1:20',
        d: 'Yes',
        e: '1_000',
        f: '~',
        g: '0x1F',
        h: '1e3',
        n: 5,
      },
    ],
  };

  it('writes JSON with 2-space indents and a trailing newline, metadata first', async () => {
    const path = fresh('out.json');
    await writeTextCatalog(path, { resources: [{ code: '1' }], title: 't' }, 'json');
    expect(readFileSync(path, 'utf8')).toBe(
      '{\n  "title": "t",\n  "resources": [\n    {\n      "code": "1"\n    }\n  ]\n}\n',
    );
  });

  it('writes YAML 1.2 that YAML 1.1 readers read back to the same strings', async () => {
    const path = fresh('out.yaml');
    await writeTextCatalog(path, tricky, 'yaml');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain("code: '0591'");
    expect(text).toContain("a: 'no'");
    expect(text).toContain("b: '2019-06-28'");
    expect(parse(text, { version: '1.1' })).toEqual(tricky);
    expect(parse(text, { version: '1.2' })).toEqual(tricky);
  });

  it('round-trips the Fujian catalog through JSON and YAML', async () => {
    const source = await readTextCatalog(join(catalogs, 'fujian-province.yaml'), 'yaml');
    for (const format of ['json', 'yaml'] as const) {
      const path = fresh(`fujian.${format}`);
      await writeTextCatalog(path, source, format);
      const back = await readTextCatalog(path, format);
      expect(clone(back)).toEqual(clone(source));
    }
    expect(noTempFiles(dir)).toEqual([]);
  });

  it('writes a YAML folder: catalog.yaml and one file per resource named from its code', async () => {
    const folder = fresh('folder');
    const catalog = {
      title: '部门',
      resources: [
        { code: 'B/2', name: '乙' },
        { code: 'A/1', name: '甲' },
      ],
    };
    await writeTextCatalog(folder, catalog, 'yaml-dir');
    expect(readdirSync(folder).sort()).toEqual(['A-1.yaml', 'B-2.yaml', 'catalog.yaml']);
    expect(readFileSync(join(folder, 'catalog.yaml'), 'utf8')).toBe('title: 部门\n');
    const back = await readTextCatalog(folder, 'yaml-dir');
    expect(back.resources).toEqual([catalog.resources[1], catalog.resources[0]]);
  });

  it('removes files of removed resources only with prune, and reuses a file already holding a code', async () => {
    const folder = fresh('prune');
    mkdirSync(folder);
    writeFileSync(join(folder, 'population.yaml'), 'code: A/1\nname: 旧\n');
    writeFileSync(join(folder, 'B-2.yaml'), 'code: B/2\n');
    await writeTextCatalog(folder, { resources: [{ code: 'A/1', name: '新' }] }, 'yaml-dir');
    expect(readdirSync(folder).sort()).toEqual(['B-2.yaml', 'catalog.yaml', 'population.yaml']);
    expect(readFileSync(join(folder, 'population.yaml'), 'utf8')).toBe('code: A/1\nname: 新\n');
    await writeTextCatalog(folder, { resources: [{ code: 'A/1', name: '新' }] }, 'yaml-dir', { prune: true });
    expect(readdirSync(folder).sort()).toEqual(['catalog.yaml', 'population.yaml']);
  });

  it('refuses two codes that would share a file, before writing anything', async () => {
    const folder = fresh('clash');
    const catalog = { resources: [{ code: 'A/1' }, { code: 'a-1' }] };
    const error = await writeTextCatalog(folder, catalog, 'yaml-dir').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'FILE-DUPLICATE' });
    expect(readdirSync(folder)).toEqual([]);
  });
});

const COMMENTED = `# 部门目录（草稿）
title: 测试目录 # 标题
resources:
  # 第一个资源
  - code: '3350010001/000001' # 资源代码
    name: 人口 # 名称
    keywords: [人口, 户籍]
    provider:
      regionCode: '350000'
    items:
      - name: 姓名
        dataType: c # 应为大写
      - name: 性别
        dataType: C
      - name: 民族
        dataType: C
`;

describe('writeBackText', () => {
  it('changes only the fixed values of a YAML file, keeping comments, quotes and layout', async () => {
    const path = fresh('fix.yaml', COMMENTED);
    const loaded = await readTextCatalog(path, 'yaml');
    const fixed = clone(loaded);
    fixed.resources[0].items[0].dataType = 'C';
    fixed.resources[0].provider.regionCode = '350100';
    fixed.resources[0].name = 'no';
    fixed.resources[0].sharing = { type: '有条件共享' };
    fixed.resources[0].items.splice(1, 1);
    const pointers = [
      '/resources/0/items/0/dataType',
      '/resources/0/provider/regionCode',
      '/resources/0/name',
    ];
    pointers.push('/resources/0/sharing', '/resources/0/items/1', '/resources/0/items/2');
    await writeBackText(loaded, fixed, pointers);
    const expected = COMMENTED.replace('dataType: c #', 'dataType: C #')
      .replace("'350000'", "'350100'")
      .replace('name: 人口 #', "name: 'no' #")
      .replace('      - name: 性别\n        dataType: C\n', '')
      .concat('    sharing:\n      type: 有条件共享\n');
    expect(readFileSync(path, 'utf8')).toBe(expected);
    expect(clone(await readTextCatalog(path, 'yaml'))).toEqual(fixed);
  });

  it('round-trips the department draft unchanged apart from the fix', async () => {
    const original = readFileSync(join(catalogs, 'department-draft.yaml'), 'utf8');
    const path = fresh('draft.yaml', original);
    const loaded = await readTextCatalog(path, 'yaml');
    const fixed = clone(loaded);
    fixed.title = '福州市市场监督管理局政务数据资源目录';
    await writeBackText(loaded, fixed, ['/title']);
    expect(readFileSync(path, 'utf8')).toBe(
      original.replace(/^title: .*$/m, 'title: 福州市市场监督管理局政务数据资源目录'),
    );
  });

  it('re-serialises JSON with its own indentation, keeping other top-level keys', async () => {
    const path = fresh(
      'fix.json',
      '{\n    "$comment": "kept",\n    "resources": [\n        {"code": "1", "n": 1}\n    ]\n}\n',
    );
    const loaded = await readTextCatalog(path, 'json');
    const fixed = clone(loaded);
    fixed.resources[0].n = 2;
    await writeBackText(loaded, fixed, ['/resources/0/n']);
    expect(readFileSync(path, 'utf8')).toBe(
      '{\n    "$comment": "kept",\n    "resources": [\n        {\n            "code": "1",\n            "n": 2\n        }\n    ]\n}\n',
    );
  });

  it('writes into a bare-array YAML file', async () => {
    const path = fresh('bare.yaml', '# 资源列表\n- code: "1"\n  name: 一 # 旧\n');
    const loaded = await readTextCatalog(path, 'yaml');
    const fixed = clone(loaded);
    fixed.resources[0].name = '壹';
    await writeBackText(loaded, fixed, ['/resources/0/name']);
    expect(readFileSync(path, 'utf8')).toBe('# 资源列表\n- code: "1"\n  name: 壹 # 旧\n');
  });

  it('rewrites only the files of changed resources in a YAML folder', async () => {
    const folder = fresh('fix-folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.yaml'), '# 甲\ncode: A/1\nname: 甲 # 名称\n');
    writeFileSync(join(folder, 'b.yaml'), 'code: B/1\nname: 乙\n');
    const loaded = await readTextCatalog(folder, 'yaml-dir');
    const before = statSync(join(folder, 'a.yaml')).mtimeMs;
    const fixed = clone(loaded);
    fixed.resources[1].name = '乙二';
    fixed.title = '新目录';
    await writeBackText(loaded, fixed, ['/resources/1/name', '/title']);
    expect(readFileSync(join(folder, 'b.yaml'), 'utf8')).toBe('code: B/1\nname: 乙二\n');
    expect(readFileSync(join(folder, 'a.yaml'), 'utf8')).toBe('# 甲\ncode: A/1\nname: 甲 # 名称\n');
    expect(statSync(join(folder, 'a.yaml')).mtimeMs).toBe(before);
    expect(readFileSync(join(folder, 'catalog.yaml'), 'utf8')).toBe('title: 新目录\n');
    expect(noTempFiles(folder)).toEqual([]);
  });

  it('refuses to overwrite a file edited after it was read', async () => {
    const path = fresh('edited.yaml', 'resources:\n  - code: "1"\n');
    const loaded = await readTextCatalog(path, 'yaml');
    writeFileSync(path, 'resources:\n  - code: "1"\n    name: 别人刚加的\n');
    const fixed = clone(loaded);
    fixed.resources[0].code = '2';
    const error = await writeBackText(loaded, fixed, ['/resources/0/code']).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toMatchObject({ code: 'FILE-CHANGED' });
    expect(readFileSync(path, 'utf8')).toContain('别人刚加的');
  });
});
