import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { findCode } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import type { CatalogFile } from '../catalog-file.js';
import { applyCatalogFixes, fixesToJsonPatch } from './apply.js';
import { planCatalogFixes } from './plan.js';
import { toHalfWidth } from './text.js';
import type { JsonPatchOperation } from './types.js';

type Json = Record<string, unknown>;

const province = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../../../fixtures/catalogs/fujian-province.json', import.meta.url)),
    'utf8',
  ),
) as CatalogFile;
const RESOURCES = province.resources as Json[];

function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

function items(resource: Json): Json[] {
  return Array.isArray(resource.items) ? (resource.items as Json[]) : [];
}

/** Code-table fields of a resource with their tables (a test's own list, to spoil values). */
function codedFields(resource: Json): [Json, string, string][] {
  const fields: [Json, string, string][] = [
    [resource, 'resourceClass', 'resource-class'],
    [resource, 'updateCycle', 'update-cycle'],
    [resource.format as Json, 'category', 'format-category'],
    [resource.sharing as Json, 'type', 'share-type'],
    [resource.opening as Json, 'type', 'open-type'],
    [resource.grading as Json, 'level', 'grading-level'],
    ...items(resource).map((item): [Json, string, string] => [item, 'dataType', 'item-data-type']),
  ];
  return fields.filter(([owner, key]) => typeof owner[key] === 'string');
}

/** Another spelling that the table reads as the same entry: a code, English label or alias. */
function respell(table: string, value: string, pick: number): unknown {
  const entry = findCode(table, value);
  if (!entry) return value;
  const spellings = [
    entry.code,
    Number(entry.code),
    entry.labelEn,
    ...(entry.aliases ?? []),
    entry.label.toLowerCase(),
  ];
  const same = spellings.filter((spelling) => spelling !== undefined && findCode(table, spelling) === entry);
  return same[pick % same.length];
}

function excelSerial(iso: string): number {
  return (Date.parse(iso) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function respellDate(iso: string, pick: number): unknown {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const forms = [
    excelSerial(iso),
    `${y}年${m}月${d}日`,
    `${y}.${m}.${d}`,
    iso.replace(/-/g, '/'),
    iso.replace(/-/g, ''),
    Number(iso.replace(/-/g, '')),
  ];
  return forms[pick % forms.length];
}

/** Realistic mistakes, each of which `catalog fix` must undo exactly. */
const SPOILERS: Record<string, (resource: Json, pick: number) => void> = {
  fullWidthCode: (r) => void (r.code = toFullWidth(r.code as string)),
  fullWidthUscc: (r) => void ((r.provider as Json).uscc = toFullWidth((r.provider as Json).uscc as string)),
  lowerUscc: (r) => void ((r.provider as Json).uscc = ((r.provider as Json).uscc as string).toLowerCase()),
  regionAsNumber: (r) => {
    const provider = r.provider as Json;
    if (typeof provider.regionCode === 'string') provider.regionCode = Number(provider.regionCode);
  },
  padName: (r, pick) => void (r.name = `${' \u3000\t'.charAt(pick % 3)}${r.name as string}\u3000`),
  ideographicSpaceInName: (r, pick) => {
    const name = r.name as string;
    const at = 1 + (pick % Math.max(1, name.length - 1));
    if (/\p{Script=Han}/u.test(name.charAt(at - 1)) && /\p{Script=Han}/u.test(name.charAt(at))) {
      r.name = `${name.slice(0, at)}\u3000${name.slice(at)}`;
    }
  },
  respellCoded: (r, pick) => {
    const fields = codedFields(r);
    const [owner, key, table] = fields[pick % fields.length] as [Json, string, string];
    owner[key] = respell(table, owner[key] as string, pick);
  },
  padCoded: (r, pick) => {
    const fields = codedFields(r);
    const [owner, key] = fields[pick % fields.length] as [Json, string, string];
    owner[key] = ` ${owner[key] as string}\u3000`;
  },
  respellDate: (r, pick) => {
    if (typeof r.publishedAt === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.publishedAt)) {
      r.publishedAt = respellDate(r.publishedAt, pick);
    }
  },
  upperFormatType: (r) => {
    const format = r.format as Json;
    if (typeof format.type === 'string') format.type = format.type.toUpperCase();
  },
  lengthAsText: (r, pick) => {
    const item = items(r)[pick % Math.max(1, items(r).length)];
    if (item && typeof item.length === 'number')
      item.length = pick % 2 ? String(item.length) : toFullWidth(String(item.length));
  },
  yesNo: (r, pick) => {
    const item = items(r)[pick % Math.max(1, items(r).length)];
    if (item && typeof item.isKey === 'boolean') item.isKey = item.isKey ? '是' : '否';
  },
  emptyKeyword: (r, pick) => {
    if (Array.isArray(r.keywords)) r.keywords.splice(pick % (r.keywords.length + 1), 0, pick % 2 ? '' : ' ');
  },
  duplicateKeyword: (r, pick) => {
    if (Array.isArray(r.keywords) && r.keywords.length > 0)
      r.keywords.push(r.keywords[pick % r.keywords.length]);
  },
};

const spoiled = fc
  .record({
    index: fc.nat(RESOURCES.length - 1),
    spoils: fc.array(fc.tuple(fc.constantFrom(...Object.keys(SPOILERS)), fc.nat()), {
      minLength: 1,
      maxLength: 8,
    }),
  })
  .map(({ index, spoils }) => {
    const original = RESOURCES[index] as Json;
    const resource = structuredClone(original);
    for (const [name, pick] of spoils) SPOILERS[name]?.(resource, pick);
    return { original, catalog: { resources: [resource] } as CatalogFile };
  });

/** Applies test, replace and remove as RFC 6902 defines them. */
function applyPatch(document: unknown, patch: JsonPatchOperation[]): unknown {
  const root = structuredClone(document);
  for (const operation of patch) {
    const tokens = operation.path
      .split('/')
      .slice(1)
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = tokens.pop() as string;
    const parent = tokens.reduce<unknown>((node, token) => (node as Json)[token], root) as Json;
    if (operation.op === 'test' && !isDeepStrictEqual(parent[last], operation.value))
      throw new Error('test failed');
    if (operation.op === 'replace') parent[last] = operation.value;
    if (operation.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    }
  }
  return root;
}

describe('fixes, on realistic mistakes made to the valid province catalog', () => {
  it('give back exactly the valid resource', () => {
    fc.assert(
      fc.property(spoiled, ({ original, catalog }) => {
        const fixes = planCatalogFixes(catalog);
        expect(fixes.length > 0).toBe(!isDeepStrictEqual(catalog.resources[0], original));
        expect(applyCatalogFixes(catalog, fixes).resources[0]).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });
});

const junkText = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      ' ',
      '\u3000',
      '\t',
      '中',
      '文',
      'a',
      'A',
      'ｃ',
      'Ｃ',
      '１',
      '2',
      '0',
      '/',
      '年',
      '月',
      '日',
      '.',
      '-',
      '是',
      '（',
    ),
    maxLength: 12,
  }),
  fc.constantFrom(
    '每天',
    'daily',
    '２',
    ' C ',
    '44927',
    '2023年5月1日',
    '2023年2月30日',
    '18',
    '否',
    'API',
    '',
  ),
);
const junk = fc.oneof(
  junkText,
  fc.integer({ min: -5, max: 99_999_999 }),
  fc.constantFrom(null, true, 44927.5),
);

/** Where junk goes: a path from the resource, a list index taken modulo the list's length. */
const PLACES: (string | number)[][] = [
  ['code'],
  ['name'],
  ['summary'],
  ['publishedAt'],
  ['updateCycle'],
  ['subject'],
  ['sharing', 'type'],
  ['sharing', 'methodTypes', 0],
  ['sharing', 'methodTypes', 1],
  ['format', 'type'],
  ['provider', 'uscc'],
  ['provider', 'regionCode'],
  ['keywords', 0],
  ['keywords', 1],
  ['items', 0, 'length'],
  ['items', 1, 'dataType'],
  ['items', 0, 'isKey'],
  ['items', 1, 'technicalName'],
  ['items', 0, 'name'],
  ['items', 1, 'codeTable'],
];

function place(resource: Json, path: (string | number)[], value: unknown): void {
  let node: unknown = resource;
  for (const token of path.slice(0, -1)) node = (node as Json | undefined)?.[token];
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(node)) node[typeof last === 'number' ? last % (node.length + 1) : 0] = value;
  else if (node !== null && typeof node === 'object') (node as Json)[last] = value;
}

const junky = fc
  .record({
    index: fc.nat(RESOURCES.length - 1),
    values: fc.array(fc.tuple(fc.constantFrom(...PLACES), junk), { maxLength: 10 }),
  })
  .map(({ index, values }) => {
    const resource = structuredClone(RESOURCES[index] as Json);
    for (const [path, value] of values) place(resource, path, value);
    return { resources: [resource, structuredClone(resource)] } as CatalogFile;
  });

describe('fixes, on arbitrary values', () => {
  it('are idempotent: planning on the fixed catalog yields none', () => {
    fc.assert(
      fc.property(junky, (catalog) => {
        const fixed = applyCatalogFixes(catalog, planCatalogFixes(catalog));
        expect(planCatalogFixes(fixed)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('leave the input untouched, and their JSON Patch does what applyCatalogFixes does', () => {
    fc.assert(
      fc.property(junky, (catalog) => {
        const copy = structuredClone(catalog);
        const fixes = planCatalogFixes(catalog);
        const fixed = applyCatalogFixes(catalog, fixes);
        expect(catalog).toEqual(copy);
        expect(applyPatch(catalog, fixesToJsonPatch(fixes))).toEqual(fixed);
      }),
      { numRuns: 300 },
    );
  });

  it('change only values the standards would read the same, or read as half-width', () => {
    fc.assert(
      fc.property(junky, (catalog) => {
        for (const fix of planCatalogFixes(catalog)) {
          if (fix.kind === 'full-width') expect(fix.to).toBe(toHalfWidth(fix.from as string));
          if (fix.kind === 'letter-case')
            expect((fix.to as string).toLowerCase()).toBe((fix.from as string).toLowerCase());
          if (fix.kind === 'whitespace' && fix.op === 'replace') {
            expect((fix.to as string).replace(/\s/g, '')).toBe((fix.from as string).replace(/\s/g, ''));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
