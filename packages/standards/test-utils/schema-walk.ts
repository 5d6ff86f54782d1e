import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_BASE_URI, SCHEMA_FILES, type SchemaName } from '../src/schemas.js';

const SCHEMAS_ROOT = fileURLToPath(new URL('../schemas/', import.meta.url));

type Node = Record<string, unknown>;

/** A constraint found in a schema, at a path template (array items as `*`). */
export type Constraint =
  | { kind: 'required'; template: string }
  | { kind: 'enum'; template: string; key: string; values: unknown[] }
  | { kind: 'pattern'; template: string; pattern: string };

function load(file: string): Node {
  return JSON.parse(readFileSync(`${SCHEMAS_ROOT}${file}`, 'utf8')) as Node;
}

function resolve(node: Node, root: Node): { node: Node; root: Node } {
  const ref = node.$ref;
  if (typeof ref !== 'string') return { node, root };
  const [file = '', fragment = ''] = ref.split('#');
  const target = file ? load(file.replace(SCHEMA_BASE_URI, '')) : root;
  let found: unknown = target;
  for (const token of fragment.split('/').filter(Boolean)) found = (found as Node)[token];
  return resolve(found as Node, target);
}

function walk(schema: Node, root: Node, template: string, out: Constraint[], depth: number): void {
  if (depth > 24) return;
  const { node, root: nodeRoot } = resolve(schema, root);
  if (Array.isArray(node.enum)) {
    const key = typeof node['x-code-table'] === 'string' ? node['x-code-table'] : JSON.stringify(node.enum);
    out.push({ kind: 'enum', template, key, values: node.enum as unknown[] });
  }
  if (typeof node.pattern === 'string') out.push({ kind: 'pattern', template, pattern: node.pattern });
  for (const name of (node.required as string[] | undefined) ?? []) {
    out.push({ kind: 'required', template: `${template}/${name}` });
  }
  for (const [name, child] of Object.entries((node.properties as Record<string, Node> | undefined) ?? {})) {
    walk(child, nodeRoot, `${template}/${name}`, out, depth + 1);
  }
  if (node.items && typeof node.items === 'object')
    walk(node.items as Node, nodeRoot, `${template}/*`, out, depth + 1);
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    for (const part of (node[keyword] as Node[] | undefined) ?? [])
      walk(part, nodeRoot, template, out, depth + 1);
  }
  for (const keyword of ['then', 'else']) {
    if (node[keyword]) walk(node[keyword] as Node, nodeRoot, template, out, depth + 1);
  }
}

/** Every required field, enumeration and pattern that a schema applies, with where. */
export function constraintsOf(name: SchemaName): Constraint[] {
  const root = load(SCHEMA_FILES[name]);
  const out: Constraint[] = [];
  walk(root, root, '', out, 0);
  return out;
}

/** Every (location template, value) pair in a document. */
export function valuesOf(document: unknown, location = ''): { template: string; value: unknown }[] {
  const here = [{ template: location.replace(/\/\d+(?=\/|$)/g, '/*'), value: document }];
  if (Array.isArray(document)) {
    return [...here, ...document.flatMap((child, index) => valuesOf(child, `${location}/${index}`))];
  }
  if (document !== null && typeof document === 'object') {
    return [
      ...here,
      ...Object.entries(document as Node).flatMap(([key, child]) => valuesOf(child, `${location}/${key}`)),
    ];
  }
  return here;
}
