import { isDeepStrictEqual } from 'node:util';
import { MinjiangError } from '../../core/errors.js';
import type { CatalogFile } from '../catalog-file.js';
import type { CatalogFix, JsonPatchOperation } from './types.js';

/** Splits a JSON Pointer into its reference tokens (RFC 6901). */
function tokensOf(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw conflict(pointer, '不是 JSON Pointer');
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(pointer: string): { parent: string; last: string } {
  const cut = pointer.lastIndexOf('/');
  return { parent: pointer.slice(0, cut), last: pointer.slice(cut + 1) };
}

/**
 * The order in which fixes apply: replacements first, as listed (a value's chain stays in
 * order), then removals, by array from the highest index down, so that every pointer still
 * designates the element it was planned for.
 */
export function orderFixes(fixes: readonly CatalogFix[]): CatalogFix[] {
  const groups = new Map<string, CatalogFix[]>();
  for (const fix of fixes.filter((candidate) => candidate.op === 'remove')) {
    const { parent } = parentOf(fix.pointer);
    groups.set(parent, [...(groups.get(parent) ?? []), fix]);
  }
  const index = (fix: CatalogFix): number => {
    const { last } = parentOf(fix.pointer);
    return /^(0|[1-9][0-9]*)$/.test(last) ? Number(last) : -1;
  };
  const removals = [...groups.values()].flatMap((group) => group.sort((a, b) => index(b) - index(a)));
  return [...fixes.filter((fix) => fix.op === 'replace'), ...removals];
}

function conflict(pointer: string, detail: string): MinjiangError {
  return new MinjiangError('FIX-CONFLICT', `无法在 ${pointer} 应用修正：${detail}`, {
    location: pointer,
    hint: '目录在生成修正后已被修改；请重新生成修正（catalog fix）。',
  });
}

/** Own values only: a pointer must not reach into prototypes (`/__proto__/…`). */
function has(container: unknown, token: string): container is Record<string, unknown> {
  if (container === null || typeof container !== 'object') return false;
  if (Array.isArray(container)) return /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < container.length;
  return Object.prototype.hasOwnProperty.call(container, token);
}

function applyOne(root: Record<string, unknown>, fix: CatalogFix): void {
  const tokens = tokensOf(fix.pointer);
  const last = tokens.pop();
  if (last === undefined) throw conflict(fix.pointer, '不能替换整个目录');
  let container: unknown = root;
  for (const token of tokens) container = has(container, token) ? container[token] : undefined;
  if (!has(container, last)) throw conflict(fix.pointer, '该位置没有值');
  if (!isDeepStrictEqual(container[last], fix.from)) {
    throw conflict(
      fix.pointer,
      `应为 ${JSON.stringify(fix.from)}，实际为 ${JSON.stringify(container[last])}`,
    );
  }
  if (fix.op === 'replace') container[last] = fix.to;
  else if (Array.isArray(container)) container.splice(Number(last), 1);
  else delete container[last];
}

/**
 * Returns a new catalog with the fixes applied; the input is not changed. Throws a
 * MinjiangError `FIX-CONFLICT` when a fix does not find its `from` value, i.e. when the
 * catalog changed since the fixes were planned or a chain of fixes was broken up.
 */
export function applyCatalogFixes(catalog: CatalogFile, fixes: readonly CatalogFix[]): CatalogFile {
  const copy = { ...catalog, resources: structuredClone(catalog.resources) };
  for (const fix of orderFixes(fixes)) applyOne(copy, fix);
  return copy;
}

/**
 * The fixes as an RFC 6902 JSON Patch. Every change is preceded by a `test` of the value it
 * expects, so the patch refuses to apply to a document that changed in between.
 */
export function fixesToJsonPatch(fixes: readonly CatalogFix[]): JsonPatchOperation[] {
  return orderFixes(fixes).flatMap((fix): JsonPatchOperation[] => [
    { op: 'test', path: fix.pointer, value: fix.from },
    fix.op === 'replace'
      ? { op: 'replace', path: fix.pointer, value: fix.to }
      : { op: 'remove', path: fix.pointer },
  ]);
}
