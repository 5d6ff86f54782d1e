import { isDeepStrictEqual } from 'node:util';
import { normalizeDocument, pointer, type Lang } from '@minjiang/standards';
import type { CatalogFile } from '../catalog-file.js';
import { RESOURCE_SPEC, type FieldSpec, type ListSpec, type ObjectSpec } from './fields.js';
import { fixMessage, type FixReason } from './messages.js';
import { isBlank } from './text.js';
import type { CatalogFix, FixKind, FixOptions } from './types.js';
import { valueSteps, type Step } from './values.js';

type Path = (string | number)[];

interface Walk {
  lang: Lang;
  fixes: CatalogFix[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The same place in the normalised copy, which has the raw document's shape. */
function child(canon: unknown, key: string | number): unknown {
  return canon !== null && typeof canon === 'object' ? (canon as Record<string, unknown>)[key] : undefined;
}

function replaceChain(walk: Walk, path: Path, value: unknown, steps: Step[]): void {
  let from = value;
  for (const step of steps) {
    walk.fixes.push({
      pointer: pointer(...path),
      op: 'replace',
      from,
      to: step.to,
      kind: step.kind,
      message: fixMessage(step.reason, walk.lang, from, step.to),
    });
    from = step.to;
  }
}

function remove(walk: Walk, path: Path, from: unknown, kind: FixKind, reason: FixReason): void {
  walk.fixes.push({
    pointer: pointer(...path),
    op: 'remove',
    from,
    kind,
    message: fixMessage(reason, walk.lang, from),
  });
}

/**
 * Elements are fixed one by one; then blank elements (left by doubled separators) and elements
 * equal to an earlier one after their fixes are removed. Removals come after the replacements
 * and point at the original indices; applying them highest index first keeps those valid.
 */
function walkList(
  walk: Walk,
  spec: ListSpec,
  list: unknown[],
  canon: unknown,
  path: Path,
  optional: boolean,
): void {
  if (spec.minItems > 0 && optional && list.every(isBlank)) {
    remove(walk, path, list, 'separator', 'separator-empty-list');
    return;
  }
  const kept: unknown[] = [];
  const removals: { index: number; from: unknown; reason: FixReason }[] = [];
  list.forEach((element, index) => {
    if (isBlank(element)) {
      removals.push({ index, from: element, reason: 'separator-empty' });
      return;
    }
    const steps = valueSteps(spec.element, element, child(canon, index));
    replaceChain(walk, [...path, index], element, steps);
    const final = steps.length > 0 ? steps[steps.length - 1]?.to : element;
    if (kept.some((other) => isDeepStrictEqual(other, final))) {
      removals.push({ index, from: final, reason: 'separator-duplicate' });
    } else {
      kept.push(final);
    }
  });
  for (const { index, from, reason } of removals) remove(walk, [...path, index], from, 'separator', reason);
}

function walkField(
  walk: Walk,
  spec: FieldSpec,
  value: unknown,
  canon: unknown,
  path: Path,
  optional: boolean,
): void {
  if (value === undefined) return;
  if (isBlank(value)) {
    // A blank required field cannot be fixed mechanically; validation reports it.
    if (optional) remove(walk, path, value, 'whitespace', 'blank-field');
    return;
  }
  if (typeof spec === 'string') {
    replaceChain(walk, path, value, valueSteps(spec, value, canon));
  } else if (spec.shape === 'object') {
    walkObject(walk, spec, value, canon, path);
  } else if (spec.shape === 'list') {
    if (Array.isArray(value)) walkList(walk, spec, value, canon, path, optional);
  } else if (Array.isArray(value)) {
    value.forEach((element, index) =>
      walkObject(walk, spec.element, element, child(canon, index), [...path, index]),
    );
  }
}

// Fields in the order the document has them, so fixes follow the file. Fields the schema does
// not know, and values of the wrong shape, are left to validation.
function walkObject(walk: Walk, spec: ObjectSpec, value: unknown, canon: unknown, path: Path): void {
  if (!isRecord(value)) return;
  for (const [key, field] of Object.entries(value)) {
    if (!Object.prototype.hasOwnProperty.call(spec.fields, key)) continue;
    const fieldSpec = spec.fields[key] as FieldSpec;
    walkField(walk, fieldSpec, field, child(canon, key), [...path, key], !spec.required.includes(key));
  }
}

/**
 * Every fix that can be made mechanically and safely to a catalog as typed: full-width forms,
 * stray whitespace, code-table values not in their canonical form, dates not in ISO form,
 * letter case, doubled separators and duplicates in lists, numbers and yes/no typed as text.
 * Fixes are listed in document order; several fixes on one value form a chain (each `from` is
 * the previous `to`). Planning again on the fixed catalog yields no fix. Pure; never throws.
 */
export function planCatalogFixes(catalog: CatalogFile, options: FixOptions = {}): CatalogFix[] {
  const walk: Walk = { lang: options.lang ?? 'zh-CN', fixes: [] };
  const resources: unknown[] = Array.isArray(catalog.resources) ? catalog.resources : [];
  resources.forEach((resource, index) => {
    const canon = normalizeDocument('catalog-resource', resource);
    walkObject(walk, RESOURCE_SPEC, resource, canon, ['resources', index]);
  });
  return walk.fixes;
}
