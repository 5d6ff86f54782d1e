import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestLang } from '../../plugins/errors.js';
import { relayExchangeCall } from '../cascade/relay.js';
import { queryRows, type SesAnswer } from './calls.js';
import { createPackage, downloadPackage, receivePackage } from './packages.js';
import { SesError, sendRefusal } from './ses-error.js';
import { verifySubjects } from './verify.js';

const PREFIX = '/ses/r1/';

/** The envelope of every exchange answer (exchange/envelope-1.0, exchange/error-1.0). */
const envelope = {
  type: 'object',
  required: ['code', 'msg', 'requestId'],
  properties: {
    code: { type: 'string' },
    msg: { type: 'string' },
    requestId: { type: 'string' },
    data: {},
    page: { type: 'object', additionalProperties: true },
    meta: { type: 'object', additionalProperties: true },
    httpStatus: { type: 'integer' },
    origin: { type: 'string' },
    hint: { type: 'string' },
  },
} as const;
// 502, 504 and 508 are the cascade relay's (docs/cascade-relay.md).
const answers = Object.fromEntries(
  [200, 400, 401, 403, 429, 500, 502, 503, 504, 508].map((status) => [status, envelope]),
);

/** `{service}` of `/ses/r1/{service}/<action>`, or undefined when the path has another action. */
function serviceOf(url: string, action: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(PREFIX) || !path.endsWith(`/${action}`)) return undefined;
  return decodeURIComponent(path.slice(PREFIX.length, -action.length - 1));
}

function requestIdOf(request: FastifyRequest): string {
  const id = request.headers['ses-request-id'];
  return typeof id === 'string' ? id.slice(0, 64) : '';
}

/** Runs an exchange handler: its answer as it was recorded, or its refusal in the SES form. */
async function answer(request: FastifyRequest, reply: FastifyReply, run: () => Promise<SesAnswer>) {
  try {
    const done = await run();
    return reply
      .code(done.status)
      .headers(done.headers)
      .type('application/json; charset=utf-8')
      .send(done.body);
  } catch (error) {
    if (error instanceof SesError)
      return sendRefusal(reply, requestIdOf(request), error, requestLang(request));
    // Anything else is the hub's fault: logged in full here, answered in the exchange form
    // (a client of this API reads SES-Error, not the hub's own error shape) and saying nothing.
    request.log.error({ err: error }, 'exchange call failed');
    return sendRefusal(reply, requestIdOf(request), new SesError('HUB.INTERNAL'), requestLang(request));
  }
}

/**
 * SES-API r1 (docs/exchange-api.md): signed calls under grants. Not bearer-token routes — the
 * request signature authenticates — so their access is `public` and every check is the module's.
 */
export async function exchangeRoutes(app: FastifyInstance): Promise<void> {
  // A call under another hub's grant is relayed through the cascade, and a call relayed here is
  // accepted only from a pinned neighbour (docs/cascade-relay.md), before any handler runs.
  app.addHook('preHandler', async (request, reply) => {
    if (await relayExchangeCall(app.hub, request, reply)) return reply;
  });
  // The signature covers the body's exact bytes: keep them instead of parsed JSON.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  const notFound = (request: FastifyRequest) => async () => {
    throw new SesError(
      'CLI.BAD_REQUEST',
      `no such exchange operation: ${request.method} ${request.url.split('?')[0]}`,
    );
  };

  await packageRoutes(app);

  app.get(
    `${PREFIX}*`,
    {
      config: { access: 'public' },
      schema: {
        summary: 'Query a granted resource: /ses/r1/{service}/rows?<field>=<value>&fields=&limit=&cursor=',
        response: answers,
      },
    },
    async (request, reply) => {
      const service = serviceOf(request.url, 'rows');
      return answer(
        request,
        reply,
        service === undefined ? notFound(request) : () => queryRows(app.hub, request, service),
      );
    },
  );

  app.post<{ Body: Buffer | undefined }>(
    `${PREFIX}*`,
    {
      config: { access: 'public' },
      schema: {
        summary: 'Verify values against a granted resource (核验): /ses/r1/{service}/verify',
        response: answers,
      },
    },
    async (request, reply) => {
      const service = serviceOf(request.url, 'verify');
      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      return answer(
        request,
        reply,
        service === undefined ? notFound(request) : () => verifySubjects(app.hub, request, body, service),
      );
    },
  );
}

/** Packages: static and parametric paths, which the router prefers to the wildcard above. */
async function packageRoutes(app: FastifyInstance): Promise<void> {
  const schema = (summary: string) => ({ summary, response: answers });
  const buffer = (body: unknown) => (Buffer.isBuffer(body) ? body : undefined);
  app.post(
    `${PREFIX}packages`,
    { config: { access: 'public' }, schema: schema('Build the package of a PACKAGE grant (signed call)') },
    async (request, reply) =>
      answer(request, reply, () => createPackage(app.hub, request, buffer(request.body))),
  );
  app.post<{ Params: { id: string } }>(
    `${PREFIX}packages/:id/receipt`,
    {
      config: { access: 'public' },
      schema: schema('Confirm receipt of a package with its digest (signed call)'),
    },
    async (request, reply) =>
      answer(request, reply, () => receivePackage(app.hub, request, request.params.id, buffer(request.body))),
  );
  app.get<{ Params: { id: string } }>(
    `${PREFIX}packages/:id`,
    {
      config: { access: 'public' },
      schema: { summary: 'Download a package (signed call; the grant’s recipient only)' },
    },
    async (request, reply) => {
      try {
        const found = await downloadPackage(app.hub, request, request.params.id);
        return reply
          .header('ses-request-id', found.requestId)
          .header('ses-package-signature', Buffer.from(found.signature).toString('base64'))
          .header('content-disposition', `attachment; filename="${found.fileName}"`)
          .type('application/zip')
          .send(found.body);
      } catch (error) {
        if (error instanceof SesError)
          return sendRefusal(reply, requestIdOf(request), error, requestLang(request));
        throw error;
      }
    },
  );
}
