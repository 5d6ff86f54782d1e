import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import fp from 'fastify-plugin';
import { allSchemaDocuments, createAjv } from '@minjiang/standards';

/**
 * Route schemas are compiled by the standards' Ajv (draft 2020-12, strict), which knows every
 * standards schema by `$id`. Bodies stop at the first error (untrusted input); query strings and
 * path parameters are coerced to their declared types. A body schema marked
 * `x-validated-by: standards` is documented but checked by the handler, which answers 422 with
 * the full issue list of the standard instead of a 400.
 */
export const validationPlugin = fp(
  async (app) => {
    const documents = allSchemaDocuments();
    const bodyAjv = createAjv();
    const queryAjv = createAjv({ coerceTypes: 'array', useDefaults: true });
    for (const document of documents) {
      bodyAjv.addSchema(document);
      queryAjv.addSchema(document);
      app.addSchema(document);
    }
    bodyAjv.addKeyword({ keyword: 'x-validated-by', schemaType: 'string' });
    queryAjv.addKeyword({ keyword: 'x-validated-by', schemaType: 'string' });
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
    app.setValidatorCompiler(({ schema, httpPart }) => {
      if ((schema as Record<string, unknown>)['x-validated-by'] === 'standards') return () => true;
      return (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema);
    });
  },
  { name: 'minjiang-validation' },
);
