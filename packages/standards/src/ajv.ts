import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';

export type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
export { Ajv2020 };

// ajv-formats is CommonJS; under NodeNext its default export arrives one level down.
const addFormats = formatsModule.default;

/** Options of the shared Ajv factory. */
export interface AjvFactoryOptions {
  /**
   * Report every error instead of stopping at the first. Right for reports on a department's
   * own files; a server facing untrusted input should keep the default (false).
   */
  allErrors?: boolean;
  /** Coerce query-string and path values to the declared types (servers: querystring, params). */
  coerceTypes?: boolean | 'array';
  /** Fill in `default` values. */
  useDefaults?: boolean;
}

/**
 * The one place where Ajv instances for draft 2020-12 are made: strict mode, the standard
 * formats, verbose errors (so messages can name a field by its schema title), and the
 * annotation keywords our schemas use.
 */
export function createAjv(options: AjvFactoryOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: options.allErrors ?? false,
    coerceTypes: options.coerceTypes ?? false,
    useDefaults: options.useDefaults ?? false,
    verbose: true,
    messages: true,
    // Schemas are registered up front and compiled on first use.
    addUsedSchema: false,
  });
  addFormats(ajv, [
    'date',
    'date-time',
    'time',
    'duration',
    'uri',
    'uri-reference',
    'email',
    'uuid',
    'regex',
  ]);
  // Annotations that carry data for tools; Ajv ignores them when validating.
  ajv.addKeyword({ keyword: 'x-code-table', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-label-en', schemaType: 'string' });
  return ajv;
}
