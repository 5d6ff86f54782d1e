import { normalizeCode } from './codes/code-table.js';
import { loadPackageJson } from './internal/data.js';
import { SCHEMA_BASE_URI, schemaDocument, type SchemaName } from './schemas.js';

interface SchemaNode {
  $ref?: string;
  'x-code-table'?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  allOf?: SchemaNode[];
}

/** Where code-table values sit in a schema: the schema pruned to the paths that lead to one. */
interface Plan {
  table?: string;
  properties?: Map<string, Plan>;
  items?: Plan;
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

function merge(into: Plan, from: Plan | undefined): void {
  if (!from) return;
  into.table ??= from.table;
  if (from.items) into.items = into.items ?? from.items;
  for (const [key, child] of from.properties ?? []) {
    into.properties ??= new Map();
    if (!into.properties.has(key)) into.properties.set(key, child);
  }
}

function compilePlan(schema: SchemaNode, root: SchemaNode, depth: number): Plan | undefined {
  if (depth > 32) return undefined;
  const { node, root: nodeRoot } = resolve(schema, root);
  const plan: Plan = {};
  const table = schema['x-code-table'] ?? node['x-code-table'];
  if (table !== undefined) plan.table = table;
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPlan = compilePlan(child, nodeRoot, depth + 1);
    if (childPlan) (plan.properties ??= new Map()).set(key, childPlan);
  }
  if (node.items) {
    const itemsPlan = compilePlan(node.items, nodeRoot, depth + 1);
    if (itemsPlan) plan.items = itemsPlan;
  }
  for (const part of node.allOf ?? []) merge(plan, compilePlan(part, nodeRoot, depth + 1));
  return plan.table !== undefined || plan.properties || plan.items ? plan : undefined;
}

const plans = new Map<SchemaName, Plan | null>();

function planOf(name: SchemaName): Plan | null {
  let plan = plans.get(name);
  if (plan === undefined) {
    const root = schemaDocument(name) as SchemaNode;
    plan = compilePlan(root, root, 0) ?? null;
    plans.set(name, plan);
  }
  return plan;
}

function apply(value: unknown, plan: Plan): unknown {
  if (plan.table !== undefined && (typeof value === 'string' || typeof value === 'number')) {
    return normalizeCode(plan.table, value) ?? value;
  }
  if (Array.isArray(value))
    return plan.items ? value.map((element) => apply(element, plan.items as Plan)) : value;
  if (value === null || typeof value !== 'object' || !plan.properties) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, child] of plan.properties) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const before = (value as Record<string, unknown>)[key];
    const after = apply(before, child);
    if (after !== before) (copy ??= { ...(value as Record<string, unknown>) })[key] = after;
  }
  return copy ?? value;
}

/**
 * Returns the document with every code-table value (a code such as `2`, a label such as
 * `有条件共享`, or an alias) replaced by the table's canonical form; the input is never changed
 * (objects on a changed path are copied). Values that no table knows are left for validation.
 */
export function normalizeDocument<T = unknown>(name: SchemaName, document: unknown): T {
  const plan = planOf(name);
  return (plan ? apply(document, plan) : document) as T;
}
