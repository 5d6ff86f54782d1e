import { normalizeCode } from './codes/code-table.js';
import { loadPackageJson } from './internal/data.js';
import { SCHEMA_BASE_URI, schemaDocument, type SchemaName } from './schemas.js';

interface SchemaNode {
  $ref?: string;
  'x-code-table'?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  allOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
}

/** Resolves `$ref`s of our own schemas: absolute ids under the base URI, or local pointers. */
function resolve(node: SchemaNode, root: SchemaNode): { node: SchemaNode; root: SchemaNode } {
  let current = { node, root };
  for (let depth = 0; current.node.$ref !== undefined && depth < 16; depth += 1) {
    const [file = '', fragment = ''] = current.node.$ref.split('#');
    const target = file
      ? loadPackageJson<SchemaNode>(`schemas/${file.replace(SCHEMA_BASE_URI, '')}`)
      : current.root;
    let found: unknown = target;
    for (const token of fragment.split('/').filter(Boolean)) {
      found = (found as Record<string, unknown> | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    current = { node: found as SchemaNode, root: target };
  }
  return current;
}

function normalizeValue(value: unknown, schema: SchemaNode, root: SchemaNode): unknown {
  const { node, root: nodeRoot } = resolve(schema, root);
  let result = value;
  const table = node['x-code-table'] ?? schema['x-code-table'];
  if (table !== undefined && (typeof value === 'string' || typeof value === 'number')) {
    result = normalizeCode(table, value) ?? value;
  } else if (Array.isArray(value) && node.items) {
    result = value.map((element) => normalizeValue(element, node.items as SchemaNode, nodeRoot));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (key in copy) copy[key] = normalizeValue(copy[key], child, nodeRoot);
    }
    result = copy;
  }
  for (const part of node.allOf ?? []) result = normalizeValue(result, part, nodeRoot);
  return result;
}

/**
 * Returns a copy of a document in which every code-table value (a code such as `2`, a label
 * such as `有条件共享`, or an alias) is replaced by the table's canonical form. Values that no
 * table knows are left as they are, for validation to report.
 */
export function normalizeDocument<T = unknown>(name: SchemaName, document: unknown): T {
  const root = schemaDocument(name) as SchemaNode;
  return normalizeValue(document, root, root) as T;
}
