import { loadPackageJson } from './internal/data.js';

/** Where the schemas live: absolute, versioned `$id`s under this base. */
export const SCHEMA_BASE_URI = 'https://schemas.minjiang.org/';

/**
 * Every schema of the three standards, by name, with its file under `schemas/`.
 * A new major or minor version is a new file; the old one stays.
 */
export const SCHEMA_FILES = {
  'catalog-resource': 'catalog/resource-1.0.json',
  organisation: 'identity/organisation-1.0.json',
  demand: 'demand/demand-1.0.json',
  'sharing-application': 'application/sharing-application-1.0.json',
  'open-application': 'application/open-application-1.0.json',
  grant: 'exchange/grant-1.0.json',
  'exchange-envelope': 'exchange/envelope-1.0.json',
  'exchange-error': 'exchange/error-1.0.json',
  'problem-record': 'governance/problem-record-1.0.json',
  correction: 'governance/correction-1.0.json',
  'package-descriptor': 'exchange/package-descriptor-1.0.json',
  'audit-leaf': 'audit/leaf-1.0.json',
  'audit-checkpoint': 'audit/checkpoint-1.0.json',
  'cascade-feed-item': 'cascade/feed-item-1.0.json',
  'cascade-feed-page': 'cascade/feed-page-1.0.json',
  'cascade-registration': 'cascade/registration-1.0.json',
  'cascade-row-page': 'cascade/row-page-1.0.json',
  'grading-policy': 'governance/grading-policy-1.0.json',
} as const;

/** Files that only hold shared `$defs`; they are registered but validate nothing themselves. */
export const DEFINITION_FILES = ['common/dictionary-1.0.json'] as const;

export type SchemaName = keyof typeof SCHEMA_FILES;

export const SCHEMA_NAMES = Object.keys(SCHEMA_FILES) as SchemaName[];

/** A JSON Schema document as stored in `schemas/`. */
export interface SchemaDocument {
  $schema: string;
  $id: string;
  title?: string;
  [keyword: string]: unknown;
}

/** The schema document for a name (parsed JSON; do not mutate). */
export function schemaDocument(name: SchemaName): SchemaDocument {
  return loadPackageJson<SchemaDocument>(`schemas/${SCHEMA_FILES[name]}`);
}

/** The `$id` of a schema, e.g. to `$ref` it from a Fastify route. */
export function schemaId(name: SchemaName): string {
  return `${SCHEMA_BASE_URI}${SCHEMA_FILES[name]}`;
}

/** Every schema document, definitions first: what a server registers with `addSchema`. */
export function allSchemaDocuments(): SchemaDocument[] {
  return [
    ...DEFINITION_FILES.map((file) => loadPackageJson<SchemaDocument>(`schemas/${file}`)),
    ...SCHEMA_NAMES.map(schemaDocument),
  ];
}
