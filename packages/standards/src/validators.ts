import { createAjv, type Ajv2020, type ValidateFunction } from './ajv.js';
import { schemaIssues } from './schema-issues.js';
import { allSchemaDocuments, schemaId, type SchemaName } from './schemas.js';
import type { Issue, ValidateOptions } from './issues.js';

// Two instances: one that reports everything (reports for people), one that stops at the first
// error (servers facing untrusted input). Each compiles a schema once, on first use.
const instances = new Map<boolean, Ajv2020>();

function ajvFor(allErrors: boolean): Ajv2020 {
  let ajv = instances.get(allErrors);
  if (!ajv) {
    ajv = createAjv({ allErrors });
    for (const document of allSchemaDocuments()) ajv.addSchema(document);
    instances.set(allErrors, ajv);
  }
  return ajv;
}

/** The compiled validator of a schema (a type guard when given the document type). */
export function schemaValidator<T = unknown>(name: SchemaName, allErrors = true): ValidateFunction<T> {
  const validate = ajvFor(allErrors).getSchema<T>(schemaId(name));
  if (!validate) throw new Error(`Schema ${name} is not registered`);
  return validate;
}

/** Validates a document against one schema only (no cross-field rules) and returns its issues. */
export function schemaCheck(name: SchemaName, document: unknown, options: ValidateOptions = {}): Issue[] {
  const validate = schemaValidator(name, options.allErrors ?? true);
  if (validate(document)) return [];
  return schemaIssues(validate.errors, options.lang ?? 'zh-CN');
}
