import { allSchemaDocuments, schemaDocument } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import { RESOURCE_SPEC, type FieldSpec, type ObjectSpec } from './fields.js';

interface SchemaNode {
  $ref?: string;
  'x-code-table'?: string;
  type?: string;
  format?: string;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  minItems?: number;
}

const dictionary = allSchemaDocuments().find((document) =>
  document.$id.endsWith('common/dictionary-1.0.json'),
) as unknown as { $defs: Record<string, SchemaNode> };

/** Follows a `$ref` into the dictionary; returns the node and the name of the definition. */
function resolve(node: SchemaNode): { node: SchemaNode; def?: string } {
  const def = node.$ref?.split('#/$defs/')[1];
  return def === undefined ? { node } : { node: { ...dictionary.$defs[def], ...node }, def };
}

/** The field types a definition may be treated as; a spec that says otherwise has drifted. */
function allowed(node: SchemaNode, def: string | undefined): string[] {
  if (node['x-code-table'] !== undefined) return ['coded'];
  if (def === 'name' || def === 'shortText') return ['name'];
  if (def === 'longText') return ['text'];
  if (def === 'date') return ['date'];
  if (def === 'resourceCode' || def === 'uscc') return ['code'];
  if (def === 'regionCode') return ['region'];
  if (def === 'technicalName') return ['technical'];
  if (node.type === 'integer') return ['integer'];
  if (node.type === 'number') return ['number'];
  if (node.type === 'boolean') return ['boolean'];
  return ['text', 'enum', 'format-type', 'table-name'];
}

function compare(spec: FieldSpec, schema: SchemaNode, path: string): string[] {
  const { node, def } = resolve(schema);
  if (typeof spec === 'string') return allowed(node, def).includes(spec) ? [] : [`${path}: ${spec}`];
  if (spec.shape === 'list') {
    const element = compare(spec.element, node.items ?? {}, `${path}/*`);
    return (node.minItems ?? 0) === spec.minItems ? element : [...element, `${path}: minItems`];
  }
  if (spec.shape === 'each') return compareObject(spec.element, node.items ?? {}, `${path}/*`);
  return compareObject(spec, node, path);
}

function compareObject(spec: ObjectSpec, schema: SchemaNode, path: string): string[] {
  const { node } = resolve(schema);
  const properties = node.properties ?? {};
  const drift =
    Object.keys(properties).sort().join() === Object.keys(spec.fields).sort().join()
      ? []
      : [`${path}: fields`];
  if ([...(node.required ?? [])].sort().join() !== [...spec.required].sort().join())
    drift.push(`${path}: required`);
  return [
    ...drift,
    ...Object.entries(spec.fields).flatMap(([key, field]) =>
      compare(field, properties[key] ?? {}, `${path}/${key}`),
    ),
  ];
}

describe('the field spec of the fix engine', () => {
  it('matches the catalog-resource schema: fields, required fields, code tables, dates, codes', () => {
    expect(compareObject(RESOURCE_SPEC, schemaDocument('catalog-resource') as SchemaNode, '')).toEqual([]);
  });
});
