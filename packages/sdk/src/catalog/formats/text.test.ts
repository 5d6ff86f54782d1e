import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../core/errors.js';
import { readCatalogFile } from '../catalog-file.js';
import { readTextCatalog } from './text.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-text-'));
const catalogs = fileURLToPath(new URL('../../../../../fixtures/catalogs/', import.meta.url));
let counter = 0;

function file(name: string, content: string): string {
  const path = join(dir, `${(counter += 1)}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** The 1-based line of the first line of `path` that contains `needle`, after line `after`. */
function lineWith(path: string, needle: string, after = 0): number {
  const lines = readFileSync(path, 'utf8').split('\n');
  const index = lines.findIndex((line, i) => i >= after && line.includes(needle));
  expect(index).toBeGreaterThanOrEqual(0);
  return index + 1;
}

async function failure(promise: Promise<unknown>): Promise<FileFormatError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileFormatError);
  return error as FileFormatError;
}

describe('readTextCatalog: single files', () => {
  it('reads the fixture JSON and YAML to the same catalog as readCatalogFile', async () => {
    for (const [name, format] of [
      ['fujian-province.json', 'json'],
      ['fujian-province.yaml', 'yaml'],
    ] as const) {
      const path = join(catalogs, name);
      const loaded = await readTextCatalog(path, format);
      const plain = await readCatalogFile(path);
      expect(loaded).toMatchObject({ format, path, title: plain.title, version: plain.version });
      expect(loaded.resources).toEqual(plain.resources);
    }
  });

  it('locates values in the YAML fixture, and the nearest ancestor of a missing one', async () => {
    const path = join(catalogs, 'fujian-province.yaml');
    const loaded = await readTextCatalog(path, 'yaml');
    const uscc = lineWith(path, 'uscc: 11350000FJ0000017T');
    expect(loaded.locate('/resources/0/provider/uscc')).toEqual({ file: path, line: uscc });
    const items = lineWith(path, 'name: 公民身份号码');
    expect(loaded.locate('/resources/0/items/0/name')).toEqual({ file: path, line: items });
    expect(loaded.locate('/resources/0/items/2/dataType')).toEqual({
      file: path,
      line: lineWith(path, 'dataType: C', lineWith(path, 'name: 曾用名')),
    });
    expect(loaded.locate('/resources/0/items/99/name')).toEqual({ file: path, line: items });
    expect(loaded.locate('/resources/0/sharing/nothing')).toEqual({
      file: path,
      line: lineWith(path, 'type: 有条件共享', lineWith(path, 'sharing:') - 1),
    });
    expect(loaded.locate('/title')).toEqual({ file: path, line: lineWith(path, 'title:') });
  });

  it('locates values in JSON through the same parser', async () => {
    const path = file(
      'small.json',
      '{\n  "title": "t",\n  "resources": [\n    {\n      "code": "1",\n      "a/b": { "x~y": 5 }\n    }\n  ]\n}\n',
    );
    const loaded = await readTextCatalog(path, 'json');
    expect(loaded.locate('/resources/0/code')).toEqual({ file: path, line: 5 });
    expect(loaded.locate('/resources/0/a~1b/x~0y')).toEqual({ file: path, line: 6 });
    expect(loaded.locate('/resources/3')).toEqual({ file: path, line: 3 });
  });

  it('takes a bare array as the resources and locates into it', async () => {
    const path = file('bare.yaml', '# 资源\n- code: "1"\n  name: 一\n- code: "2"\n  name: 二\n');
    const loaded = await readTextCatalog(path, 'yaml');
    expect(loaded.resources).toEqual([
      { code: '1', name: '一' },
      { code: '2', name: '二' },
    ]);
    expect(loaded.title).toBeUndefined();
    expect(loaded.locate('/resources/1/name')).toEqual({ file: path, line: 5 });
  });

  it('keeps YAML 1.2 semantics: no, dates and quoted leading zeros stay strings', async () => {
    const path = file(
      'semantics.yaml',
      "resources:\n  - code: '0591'\n    flag: no\n    publishedAt: 2019-06-28\n",
    );
    const loaded = await readTextCatalog(path, 'yaml');
    expect(loaded.resources[0]).toEqual({ code: '0591', flag: 'no', publishedAt: '2019-06-28' });
  });
});

describe('readTextCatalog: refusals', () => {
  it('refuses duplicate keys in YAML and JSON, naming the line', async () => {
    const yaml = file('dup.yaml', 'resources:\n  - code: "1"\n    name: 一\n    name: 二\n');
    const yamlError = await failure(readTextCatalog(yaml, 'yaml'));
    expect(yamlError.code).toBe('FILE-PARSE');
    expect(yamlError.location).toMatch(/dup\.yaml:4:\d+$/);
    const json = file('dup.json', '{\n  "resources": [],\n  "resources": [1]\n}\n');
    const jsonError = await failure(readTextCatalog(json, 'json'));
    expect(jsonError.code).toBe('FILE-PARSE');
    expect(jsonError.location).toMatch(/dup\.json:3:\d+$/);
  });

  it('tells duplicate JSON keys from keys that only look alike', async () => {
    const fine = file('alike.json', '{"resources": [{"a": "x\\"}{", "b": {"a": 1}}, {"a": "[\\\\"}]}');
    expect((await readTextCatalog(fine, 'json')).resources).toEqual([
      { a: 'x"}{', b: { a: 1 } },
      { a: '[\\' },
    ]);
    const escaped = file('escaped.json', '{"resources": [\n  {"a": 1,\n   "\\u0061": 2}]}');
    const error = await failure(readTextCatalog(escaped, 'json'));
    expect(error.code).toBe('FILE-PARSE');
    expect(error.location).toMatch(/escaped\.json:3:4$/);
    expect(error.message).toContain('“a”');
  });

  it('reports JSON syntax errors with line and column', async () => {
    const path = file('broken.json', '{\n  "resources": [\n    {"code": "1",}\n  ]\n}\n');
    const error = await failure(readTextCatalog(path, 'json'));
    expect(error.code).toBe('FILE-PARSE');
    expect(error.location).toMatch(/broken\.json:3:\d+$/);
  });

  it('stops a YAML alias bomb quickly with YAML-ALIAS', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i += 1) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const path = file('bomb.yaml', `${levels.join('\n')}\nresources: [*i]\n`);
    const started = Date.now();
    const error = await failure(readTextCatalog(path, 'yaml'));
    expect(error.code).toBe('YAML-ALIAS');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a file above the size limit without reading it', async () => {
    const path = file('huge.json', '');
    truncateSync(path, 65 * 1024 * 1024);
    expect((await failure(readTextCatalog(path, 'json'))).code).toBe('FILE-TOO-LARGE');
  });

  it('refuses a document without resources and a missing file', async () => {
    expect((await failure(readTextCatalog(file('other.yaml', 'title: x\n'), 'yaml'))).code).toBe(
      'FILE-SHAPE',
    );
    const missing = await failure(readTextCatalog(join(dir, 'missing.yaml'), 'yaml'));
    expect(missing).toMatchObject({ code: 'FILE-NOT-FOUND', location: join(dir, 'missing.yaml') });
  });
});

describe('readTextCatalog: a folder of YAML files', () => {
  function folder(files: Record<string, string>): string {
    const path = join(dir, `folder-${(counter += 1)}`);
    mkdirSync(path);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(path, name), content);
    return path;
  }

  it('reads catalog.yaml and one resource per file, in file-name order, and locates into each file', async () => {
    const path = folder({
      'catalog.yaml': '# 目录信息\ntitle: 部门目录\nversion: "1"\n',
      'b.yaml': 'code: B/1\nname: 乙\nitems:\n  - name: 字段\n    dataType: C\n',
      'a.yml': '# first by name\ncode: A/1\nname: 甲\n',
      '.hidden.yaml': 'not: read\n',
      'notes.txt': 'not yaml',
    });
    const loaded = await readTextCatalog(path, 'yaml-dir');
    expect(loaded).toMatchObject({ format: 'yaml-dir', path, title: '部门目录', version: '1' });
    expect(loaded.resources.map((resource) => (resource as { code: string }).code)).toEqual(['A/1', 'B/1']);
    expect(loaded.locate('/resources/1/items/0/dataType')).toEqual({ file: join(path, 'b.yaml'), line: 5 });
    expect(loaded.locate('/resources/0/name')).toEqual({ file: join(path, 'a.yml'), line: 3 });
    expect(loaded.locate('/title')).toEqual({ file: join(path, 'catalog.yaml'), line: 2 });
    expect(loaded.locate('/resources/7/name')).toEqual({ file: path });
  });

  it('works without catalog.yaml and with no resources', async () => {
    const loaded = await readTextCatalog(folder({}), 'yaml-dir');
    expect(loaded.resources).toEqual([]);
    expect(loaded.title).toBeUndefined();
  });

  it('refuses a resource code used in two files, naming both', async () => {
    const path = folder({ 'x.yaml': 'code: A/1\n', 'y.yaml': 'name: 乙\ncode: A/1\n' });
    const error = await failure(readTextCatalog(path, 'yaml-dir'));
    expect(error.code).toBe('FILE-DUPLICATE');
    expect(error.message).toContain(join(path, 'x.yaml'));
    expect(error.message).toContain(join(path, 'y.yaml'));
    expect(error.location).toBe(`${join(path, 'y.yaml')}:2`);
  });

  it('refuses a resource file holding a list, and resources inside catalog.yaml', async () => {
    const list = await failure(readTextCatalog(folder({ 'a.yaml': '- code: A\n' }), 'yaml-dir'));
    expect(list.code).toBe('FILE-SHAPE');
    expect(list.location).toMatch(/a\.yaml$/);
    const meta = await failure(readTextCatalog(folder({ 'catalog.yaml': 'resources: []\n' }), 'yaml-dir'));
    expect(meta.code).toBe('FILE-SHAPE');
  });

  it('reports a syntax error in one resource file with that file and line', async () => {
    const path = folder({ 'a.yaml': 'code: A\nname: [unclosed\n' });
    const error = await failure(readTextCatalog(path, 'yaml-dir'));
    expect(error.code).toBe('FILE-PARSE');
    expect(error.location).toMatch(/a\.yaml:\d+:\d+$/);
  });

  it('refuses a folder that does not exist', async () => {
    expect((await failure(readTextCatalog(join(dir, 'no-folder'), 'yaml-dir'))).code).toBe('FILE-NOT-FOUND');
  });
});
