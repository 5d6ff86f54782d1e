import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinjiangError } from '../../core/errors.js';
import type { CatalogFile } from '../catalog-file.js';
import { applyCatalogFixes, fixesToJsonPatch, orderFixes } from './apply.js';
import { planCatalogFixes } from './plan.js';
import type { CatalogFix, JsonPatchOperation } from './types.js';

/**
 * A small RFC 6902 applier for the three operations the fix patches use, written from the RFC
 * so the patches are checked against the standard rather than against our own apply.
 */
function applyPatch(document: unknown, patch: JsonPatchOperation[]): unknown {
  const root = structuredClone(document);
  for (const operation of patch) {
    const tokens = operation.path
      .split('/')
      .slice(1)
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = tokens.pop() as string;
    const parent = tokens.reduce<unknown>(
      (node, token) => (node as Record<string, unknown>)[token],
      root,
    ) as Record<string, unknown>;
    if (operation.op === 'test' && !isDeepStrictEqual(parent[last], operation.value)) {
      throw new Error(`test failed at ${operation.path}`);
    }
    if (operation.op === 'replace') parent[last] = operation.value;
    if (operation.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    }
  }
  return root;
}

function messy(): CatalogFile {
  return {
    title: '目录',
    resources: [
      {
        code: '３３５００５０１０１／０００００２',
        keywords: ['企业', '', '登记', ' ', '企业'],
        items: [{ name: '名称', dataType: 'c', length: ' １８' }],
        sharing: { type: '有条件', methodTypes: ['api', '接口'] },
        publishedAt: 44927,
      },
    ],
  };
}

describe('applyCatalogFixes', () => {
  it('returns a new catalog and leaves the input as it was', () => {
    const catalog = messy();
    const before = structuredClone(catalog);
    const fixed = applyCatalogFixes(catalog, planCatalogFixes(catalog));
    expect(catalog).toEqual(before);
    expect(fixed).not.toBe(catalog);
    expect(fixed).toEqual({
      title: '目录',
      resources: [
        {
          code: '3350050101/000002',
          keywords: ['企业', '登记'],
          items: [{ name: '名称', dataType: 'C', length: 18 }],
          sharing: { type: '有条件共享', methodTypes: ['接口'] },
          publishedAt: '2023-01-01',
        },
      ],
    });
  });

  it('applies removals inside one array from the highest index down, in whatever order they come', () => {
    const catalog = messy();
    const fixes = planCatalogFixes(catalog);
    const removals = fixes.filter((fix) => fix.op === 'remove' && fix.pointer.includes('/keywords/'));
    expect(removals.map((fix) => fix.pointer)).toEqual([
      '/resources/0/keywords/1',
      '/resources/0/keywords/3',
      '/resources/0/keywords/4',
    ]);
    // Removals first and in reverse; the replacements keep their order, as chains need.
    const shuffled = [...removals].reverse().concat(fixes.filter((fix) => !removals.includes(fix)));
    expect(applyCatalogFixes(catalog, shuffled)).toEqual(applyCatalogFixes(catalog, fixes));
    expect(orderFixes(removals).map((fix) => fix.pointer)).toEqual([
      '/resources/0/keywords/4',
      '/resources/0/keywords/3',
      '/resources/0/keywords/1',
    ]);
  });

  it('refuses a catalog changed since the fixes were planned', () => {
    const catalog = messy();
    const fixes = planCatalogFixes(catalog);
    const changed = messy();
    (changed.resources[0] as Record<string, unknown>).publishedAt = '2023-01-01';
    expect(() => applyCatalogFixes(changed, fixes)).toThrow(MinjiangError);
    expect(() => applyCatalogFixes(changed, fixes)).toThrow(/resources\/0\/publishedAt/);
  });

  it('refuses a chain of fixes broken up: each fix expects what the previous one produced', () => {
    const catalog = messy();
    const chain = planCatalogFixes(catalog).filter((fix) => fix.pointer === '/resources/0/items/0/length');
    expect(chain.map((fix) => fix.kind)).toEqual(['full-width', 'whitespace', 'number']);
    expect(() => applyCatalogFixes(catalog, chain.slice(1))).toThrow(
      expect.objectContaining({ code: 'FIX-CONFLICT' }) as Error,
    );
  });

  it('refuses a pointer into a prototype', () => {
    const fix: CatalogFix = {
      pointer: '/resources/0/__proto__/toString',
      op: 'remove',
      from: Object.getOwnPropertyDescriptor(Object.prototype, 'toString')?.value as unknown,
      kind: 'whitespace',
      message: '',
    };
    expect(() => applyCatalogFixes(messy(), [fix])).toThrow(
      expect.objectContaining({ code: 'FIX-CONFLICT' }) as Error,
    );
    expect(typeof Object.prototype.toString).toBe('function');
  });

  it('refuses a pointer to nothing', () => {
    const fix: CatalogFix = {
      pointer: '/resources/7/name',
      op: 'remove',
      from: 'x',
      kind: 'whitespace',
      message: '',
    };
    expect(() => applyCatalogFixes(messy(), [fix])).toThrow(
      expect.objectContaining({ code: 'FIX-CONFLICT' }) as Error,
    );
  });
});

describe('fixesToJsonPatch', () => {
  it('guards every change with a test of the value it expects', () => {
    const catalog = messy();
    const patch = fixesToJsonPatch(planCatalogFixes(catalog));
    expect(patch.slice(0, 2)).toEqual([
      { op: 'test', path: '/resources/0/code', value: '３３５００５０１０１／０００００２' },
      { op: 'replace', path: '/resources/0/code', value: '3350050101/000002' },
    ]);
    expect(patch.slice(-8, -2)).toEqual([
      { op: 'test', path: '/resources/0/keywords/4', value: '企业' },
      { op: 'remove', path: '/resources/0/keywords/4' },
      { op: 'test', path: '/resources/0/keywords/3', value: ' ' },
      { op: 'remove', path: '/resources/0/keywords/3' },
      { op: 'test', path: '/resources/0/keywords/1', value: '' },
      { op: 'remove', path: '/resources/0/keywords/1' },
    ]);
  });

  it('gives, applied by the RFC, the same catalog as applyCatalogFixes', () => {
    const catalog = messy();
    const fixes = planCatalogFixes(catalog);
    expect(applyPatch(catalog, fixesToJsonPatch(fixes))).toEqual(applyCatalogFixes(catalog, fixes));
  });

  it('refuses to apply to a changed document', () => {
    const catalog = messy();
    const patch = fixesToJsonPatch(planCatalogFixes(catalog));
    const changed = messy();
    (changed.resources[0] as Record<string, unknown>).keywords = ['企业', '登记'];
    expect(() => applyPatch(changed, patch)).toThrow(/test failed at \/resources\/0\/keywords/);
  });

  it('escapes ~ and / in pointers', () => {
    const fix: CatalogFix = {
      pointer: '/a~1b/c~0d',
      op: 'replace',
      from: 1,
      to: 2,
      kind: 'number',
      message: '',
    };
    expect(fixesToJsonPatch([fix])[1]).toEqual({ op: 'replace', path: '/a~1b/c~0d', value: 2 });
    expect(applyPatch({ 'a/b': { 'c~d': 1 } }, fixesToJsonPatch([fix]))).toEqual({ 'a/b': { 'c~d': 2 } });
  });
});

describe('on any JSON', () => {
  it('planning never throws, and the fixes it plans always apply', () => {
    const resource = fc.oneof(
      fc.jsonValue(),
      fc.record({
        keywords: fc.array(fc.jsonValue()),
        items: fc.array(fc.jsonValue()),
        publishedAt: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 3 }), (resources) => {
        const catalog = { resources };
        const fixed = applyCatalogFixes(catalog, planCatalogFixes(catalog));
        expect(planCatalogFixes(fixed)).toEqual([]);
      }),
    );
  });
});
