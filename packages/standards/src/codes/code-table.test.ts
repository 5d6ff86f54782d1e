import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalValues, codeTable, findCode, normalizeCode } from './code-table.js';
import type { CodeEntry, CodeTable } from './code-table.js';

const codesDir = new URL('../../codes/', import.meta.url);
const tableNames = readdirSync(codesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

const fold = (value: string): string =>
  value
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .toLowerCase();

const canonicalOf = (table: CodeTable, entry: CodeEntry): string =>
  table.canonical === 'code' ? entry.code : entry.label;

function expectDescriptor(table: CodeTable, name: string): void {
  expect(table.name).toBe(name);
  for (const key of ['title', 'version'] as const) expect(typeof table[key], key).toBe('string');
  expect(['code', 'label']).toContain(table.canonical);
  expect(table.sources.length).toBeGreaterThan(0);
  for (const source of table.sources) expect(source.title.length).toBeGreaterThan(0);
  expect(table.licenses.length).toBeGreaterThan(0);
  expect(Array.isArray(table.data) && table.data.length > 0).toBe(true);
}

const TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string' || value === null,
  boolean: (value) => typeof value === 'boolean',
  integer: (value) => Number.isInteger(value),
  array: (value) => Array.isArray(value),
};

function expectRows(table: CodeTable): void {
  const fields = new Map(table.schema.fields.map((field) => [field.name, field.type]));
  expect(fields.size, 'field names are unique').toBe(table.schema.fields.length);
  expect(fields.has('code') && fields.has('label')).toBe(true);
  for (const entry of table.data) {
    expect(typeof entry.code === 'string' && entry.code.length > 0, JSON.stringify(entry)).toBe(true);
    expect(typeof entry.label === 'string' && entry.label.length > 0, entry.code).toBe(true);
    if (entry.aliases !== undefined)
      expect(entry.aliases.every((alias) => typeof alias === 'string')).toBe(true);
    for (const [column, value] of Object.entries(entry)) {
      const type = fields.get(column);
      expect(type, `${table.name} ${entry.code}: column "${column}" is not in schema.fields`).toBeDefined();
      expect(TYPE_CHECKS[type as string]?.(value) ?? true, `${table.name} ${entry.code}.${column}`).toBe(
        true,
      );
    }
  }
}

function expectUniqueInputs(table: CodeTable): void {
  const codes = table.data.map((entry) => entry.code);
  expect(new Set(codes).size, 'codes are unique').toBe(codes.length);
  const canonical = table.data.map((entry) => canonicalOf(table, entry));
  expect(new Set(canonical).size, 'canonical values are unique').toBe(canonical.length);
  // Every alias designates one row only: no other row has it as code, label, labelEn or alias.
  // (gb2260 repeats labels such as 鼓楼区 across provinces; its labels are not input keys to check.)
  const labelsUnique = new Set(table.data.map((entry) => entry.label)).size === table.data.length;
  const owners = new Map<string, Set<string>>();
  for (const entry of table.data) {
    for (const key of [entry.code, entry.labelEn, ...(entry.aliases ?? [])]) {
      if (key === undefined) continue;
      const set = owners.get(fold(key)) ?? new Set<string>();
      owners.set(fold(key), set.add(entry.code));
    }
    if (labelsUnique)
      owners.set(fold(entry.label), (owners.get(fold(entry.label)) ?? new Set()).add(entry.code));
  }
  for (const entry of table.data) {
    for (const alias of entry.aliases ?? []) {
      expect([...(owners.get(fold(alias)) ?? [])], `${table.name}: alias "${alias}"`).toEqual([entry.code]);
      expect(normalizeCode(table.name, alias)).toBe(canonicalOf(table, entry));
    }
  }
}

describe.each(tableNames)('codes/%s.json', (name) => {
  const table = codeTable(name);

  it('has the descriptor shape: name, title, version, canonical, sources, licenses', () => {
    expectDescriptor(table, name);
  });

  it('lists every column in schema.fields, with values of the declared type', () => {
    expectRows(table);
  });

  it('has unique codes and canonical values, and every alias designates one row only', () => {
    expectUniqueInputs(table);
  });

  it('normalises each code to the canonical value', () => {
    for (const entry of table.data) expect(normalizeCode(name, entry.code)).toBe(canonicalOf(table, entry));
  });
});

describe('normalizeCode and findCode', () => {
  it('map a code, a label, a number and an alias to the canonical label', () => {
    for (const input of ['2', '有条件共享', 2, ' 有条件 ', '２']) {
      expect(normalizeCode('share-type', input), String(input)).toBe('有条件共享');
    }
    expect(normalizeCode('share-method-type', 'WebService')).toBe('接口');
    expect(normalizeCode('update-cycle', '其他')).toBe('不定期');
    expect(normalizeCode('item-data-type', '整数型')).toBe('I');
    expect(normalizeCode('item-data-type', 'c')).toBe('C');
    expect(normalizeCode('gbt2261-1-gender', '女')).toBe('2');
  });

  it('return undefined for unknown values and non-scalar input', () => {
    expect(normalizeCode('share-type', '有时共享')).toBeUndefined();
    expect(normalizeCode('share-type', null)).toBeUndefined();
    expect(normalizeCode('share-type', { code: '2' })).toBeUndefined();
    expect(normalizeCode('share-type', Number.NaN)).toBeUndefined();
    expect(findCode('share-type', '3')?.label).toBe('不予共享');
  });

  it('refuse table names that are not file names under codes/', () => {
    expect(() => codeTable('../package')).toThrow('Unknown code table');
    expect(() => codeTable('no-such-table')).toThrow();
  });
});

describe('the schemas enumerate exactly the canonical values', () => {
  const dictionary = JSON.parse(
    readFileSync(new URL('../../schemas/common/dictionary-1.0.json', import.meta.url), 'utf8'),
  ) as { $defs: Record<string, { 'x-code-table'?: string; enum?: string[] }> };
  const enums = Object.entries(dictionary.$defs).filter(([, def]) => def['x-code-table'] && def.enum);

  it.each(enums)('%s', (_name, def) => {
    expect(def.enum).toEqual(canonicalValues(def['x-code-table'] as string));
  });
});
