import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import fp from 'fastify-plugin';
import { allSchemaDocuments, createAjv, type Ajv2020, type ValidateFunction } from '@minjiang/standards';

/** An Ajv instance that knows every standards schema, made on first use. */
function lazyAjv(options: Parameters<typeof createAjv>[0]): () => Ajv2020 {
  let ajv: Ajv2020 | undefined;
  return () => {
    if (!ajv) {
      ajv = createAjv(options);
      for (const document of allSchemaDocuments()) ajv.addSchema(document);
      ajv.addKeyword({ keyword: 'x-validated-by', schemaType: 'string' });
    }
    return ajv;
  };
}

/** A validator compiled on its first call; Fastify reads `.errors` after each call. */
function lazyValidator(compile: () => ValidateFunction): ValidateFunction {
  let validate: ValidateFunction | undefined;
  const wrapper = ((data: unknown) => {
    validate ??= compile();
    const valid = validate(data);
    wrapper.errors = validate.errors;
    return valid;
  }) as ValidateFunction;
  wrapper.errors = null;
  return wrapper;
}

/**
 * Route schemas are compiled by the standards' Ajv (draft 2020-12, strict), which knows every
 * standards schema by `$id`. Bodies stop at the first error (untrusted input); query strings and
 * path parameters are coerced to their declared types. A body schema marked
 * `x-validated-by: standards` is documented but checked by the handler, which answers 422 with
 * the full issue list of the standard instead of a 400.
 */
export const validationPlugin = fp(
  async (app) => {
    for (const document of allSchemaDocuments()) app.addSchema(document);
    const bodyAjv = lazyAjv({});
    const queryAjv = lazyAjv({ coerceTypes: 'array', useDefaults: true });
    // Response serializers are compiled on first use, not at start: compiling every route's
    // response schemas (they $ref the standards) up front was most of the hub's start time.
    const compileSerializer = SerializerSelector()(app.getSchemas(), {});
    app.setSerializerCompiler((routeSchema) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data: unknown) =>
        (serialize ??= compileSerializer({
          ...routeSchema,
          httpStatus: routeSchema.httpStatus ?? 'default',
        }))(data);
    });
    // Validators, too, are compiled on first use (the contract test calls every route).
    app.setValidatorCompiler(({ schema, httpPart }) => {
      if ((schema as Record<string, unknown>)['x-validated-by'] === 'standards') return () => true;
      const ajv = httpPart === 'body' ? bodyAjv : queryAjv;
      return lazyValidator(() => ajv().compile(schema));
    });
  },
  { name: 'minjiang-validation' },
);
