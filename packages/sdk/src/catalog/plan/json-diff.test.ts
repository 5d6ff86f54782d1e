import { describe, expect, it } from 'vitest';
import { diffJson, jsonEqual, overlaps, setValueAt, valueAt, type Json } from './json-diff.js';
import { mergeThreeWay } from './three-way.js';

describe('diffJson', () => {
  it('names each changed leaf by a JSON Pointer, escaping "/" and "~" in keys', () => {
    const before: Json = { a: 1, b: { 'c/d': 2, 'e~f': 3 }, g: [1, 2] };
    const after: Json = { a: 1, b: { 'c/d': 5, 'e~f': 3 }, g: [1, 3], h: true };
    expect(diffJson(before, after)).toEqual([
      { pointer: '/b/c~1d', from: 2, to: 5 },
      { pointer: '/g/1', from: 2, to: 3 },
      { pointer: '/h', to: true },
    ]);
  });

  it('takes a list that grew or shrank, or a change of type, as one change', () => {
    expect(diffJson({ g: [1] }, { g: [1, 2] })).toEqual([{ pointer: '/g', from: [1], to: [1, 2] }]);
    expect(diffJson({ g: { x: 1 } }, { g: 'x' })).toEqual([{ pointer: '/g', from: { x: 1 }, to: 'x' }]);
    expect(diffJson({ gone: 1 }, {})).toEqual([{ pointer: '/gone', from: 1 }]);
  });

  it('ignores key order', () => {
    expect(jsonEqual({ a: 1, b: [{ c: 1, d: 2 }] }, { b: [{ d: 2, c: 1 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
  });
});

describe('pointers', () => {
  it('reads and writes values, and tells when two pointers touch the same data', () => {
    const doc: Json = { a: { 'x/y': [1, 2] } };
    expect(valueAt(doc, '/a/x~1y/1')).toBe(2);
    expect(valueAt(doc, '/a/missing')).toBeUndefined();
    setValueAt(doc, '/a/x~1y/1', 9);
    setValueAt(doc, '/b', 'new');
    expect(doc).toEqual({ a: { 'x/y': [1, 9] }, b: 'new' });
    setValueAt(doc, '/b', undefined);
    expect(doc).toEqual({ a: { 'x/y': [1, 9] } });
    expect(overlaps('/items', '/items/0/length')).toBe(true);
    expect(overlaps('/items/1', '/items/10')).toBe(false);
    expect(overlaps('', '/a')).toBe(true);
  });
});

describe('mergeThreeWay', () => {
  it('reports a conflict once, at the widest pointer where the edits meet', () => {
    const base: Json = { o: { a: 1, b: 1 } };
    const merge = mergeThreeWay(base, { o: { a: 2, b: 2 } }, { o: 'replaced' });
    expect(merge.conflicts).toEqual([
      { pointer: '/o', base: { a: 1, b: 1 }, local: { a: 2, b: 2 }, hub: 'replaced' },
    ]);
    expect(merge.merged).toEqual({ o: 'replaced' });
  });

  it('merges a field the local side removed, and keeps one the hub added', () => {
    const merge = mergeThreeWay({ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2, c: 3 });
    expect(merge.merged).toEqual({ a: 1, c: 3 });
    expect(merge.drift).toEqual([{ pointer: '/c', to: 3 }]);
  });

  it('does not change its inputs', () => {
    const hub: Json = { a: 1 };
    mergeThreeWay({ a: 1 }, { a: 2 }, hub);
    expect(hub).toEqual({ a: 1 });
  });
});
