import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';

/** Collects every route's schema into an OpenAPI 3.1 document, served by the meta module. */
export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Minjiang hub API',
          version: '1.0.0',
          description:
            'The reference hub of a province-wide public data system: organisations and tokens, the catalog registry with review and versions, and the audit log.',
        },
        components: {
          securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'mj_<id>_<secret>' } },
        },
      },
      // Each operation says who may call it: the bearer scheme, and the roles, from config.access.
      transform: ({ schema, url, route }) => {
        const access = route.config?.access ?? 'public';
        if (access === 'public') return { schema, url };
        const roles = access === 'authenticated' ? ['any'] : [...access];
        return {
          schema: { ...schema, security: [{ token: [] }], 'x-minjiang-roles': roles } as typeof schema,
          url,
        };
      },
      refResolver: {
        // Standards schemas keep their absolute $id; the document names them by file.
        buildLocalReference: (json, _baseUri, _fragment, index) =>
          typeof json.$id === 'string'
            ? json.$id.replace(/^https:\/\/schemas\.minjiang\.org\//, '').replace(/[^A-Za-z0-9]+/g, '-')
            : `def-${index}`,
      },
    });
  },
  { name: 'minjiang-openapi' },
);
