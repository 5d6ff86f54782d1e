import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalValues } from './codes/code-table.js';
import {
  allSchemaDocuments,
  DEFINITION_FILES,
  SCHEMA_BASE_URI,
  SCHEMA_FILES,
  SCHEMA_NAMES,
  schemaId,
} from './schemas.js';
import { schemaValidator } from './validators.js';

type Node = Record<string, unknown>;

function nodes(value: unknown, path = ''): { path: string; node: Node }[] {
  if (Array.isArray(value)) return value.flatMap((child, index) => nodes(child, `${path}/${index}`));
  if (value === null || typeof value !== 'object') return [];
  const node = value as Node;
  return [{ path, node }, ...Object.entries(node).flatMap(([key, child]) => nodes(child, `${path}/${key}`))];
}

const files = [...DEFINITION_FILES, ...Object.values(SCHEMA_FILES)];

describe('schema files', () => {
  it.each(files)('%s has an absolute, versioned $id equal to its path', (file) => {
    const document = JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), 'utf8')) as Node;
    expect(document.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(document.$id).toBe(`${SCHEMA_BASE_URI}${file}`);
    expect(file).toMatch(/-\d+\.\d+\.json$/);
  });

  it('give every pattern and format a maxLength (no unbounded regex work on untrusted input)', () => {
    const unbounded = allSchemaDocuments().flatMap((document) =>
      nodes(document)
        .filter(
          ({ node }) =>
            (typeof node.pattern === 'string' || typeof node.format === 'string') &&
            node.maxLength === undefined,
        )
        .map(({ path }) => `${document.$id}#${path}`),
    );
    expect(unbounded).toEqual([]);
  });

  it('give every array a maxItems', () => {
    const unbounded = allSchemaDocuments().flatMap((document) =>
      nodes(document)
        .filter(({ node }) => node.type === 'array' && node.maxItems === undefined)
        .map(({ path }) => `${document.$id}#${path}`),
    );
    expect(unbounded).toEqual([]);
  });

  it('list, in every code-table enumeration, exactly the canonical values of its table', () => {
    const mismatches = allSchemaDocuments().flatMap((document) =>
      nodes(document)
        .filter(({ node }) => typeof node['x-code-table'] === 'string' && Array.isArray(node.enum))
        .filter(
          ({ node }) =>
            JSON.stringify(node.enum) !== JSON.stringify(canonicalValues(node['x-code-table'] as string)),
        )
        .map(({ path }) => `${document.$id}#${path}`),
    );
    expect(mismatches).toEqual([]);
  });

  it.each(SCHEMA_NAMES)('%s compiles in strict mode, in both Ajv instances', (name) => {
    expect(typeof schemaValidator(name, true)).toBe('function');
    expect(typeof schemaValidator(name, false)).toBe('function');
    expect(schemaId(name).startsWith(SCHEMA_BASE_URI)).toBe(true);
  });
});
