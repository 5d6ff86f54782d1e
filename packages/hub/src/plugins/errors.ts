import fp from 'fastify-plugin';
import type { FastifyError, FastifyRequest } from 'fastify';
import { schemaIssues, type ErrorObject, type Lang } from '@minjiang/standards';
import { HubError, renderHubError } from '../errors.js';
import { errorSchema } from '../http/schemas.js';

/** zh-CN unless the caller asks for English first. */
export function requestLang(request: FastifyRequest): Lang {
  return /^\s*en\b/i.test(request.headers['accept-language'] ?? '') ? 'en' : 'zh-CN';
}

function fromFastify(
  error: FastifyError,
  request: FastifyRequest,
  batchLimit: number,
  bodyLimit: number,
): HubError {
  if (error.validation) {
    const lang = requestLang(request);
    const issues = schemaIssues(error.validation as ErrorObject[], lang).map((issue) => ({
      ...issue,
      location: `${error.validationContext ?? 'body'}:${issue.location}`,
    }));
    return new HubError(
      'HUB_ERR_BAD_REQUEST',
      { detail: issues.map((i) => `${i.location} ${i.message}`).join('; ') },
      { issues },
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HubError('HUB_ERR_BODY_TOO_LARGE', { limit: bodyLimit, batchLimit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HubError('HUB_ERR_UNSUPPORTED_MEDIA_TYPE', { type: request.headers['content-type'] ?? '' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HubError('HUB_ERR_BAD_REQUEST', { detail: error.message });
    default:
      // Fastify marks the caller's faults (a body that is not JSON among them) with a 4xx status;
      // anything else — a SyntaxError of the hub parsing its own stored JSON too — is the hub's.
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
        return new HubError('HUB_ERR_BAD_REQUEST', { detail: error.message });
      return new HubError('HUB_ERR_INTERNAL');
  }
}

/** One error handler: coded, translated answers; 5xx details go to the log, never to the caller. */
export const errorsPlugin = fp(
  async (app) => {
    // Any route can fail inside (500) or find the audit log unwritable (503): every route's
    // response schemas say so, so the OpenAPI document lists every status the hub can answer.
    app.addHook('onRoute', (route) => {
      const responses = route.schema?.response as Record<string, unknown> | undefined;
      if (!responses) return;
      responses['500'] ??= errorSchema;
      responses['503'] ??= errorSchema;
    });
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const hubError =
        error instanceof HubError
          ? error
          : fromFastify(error, request, app.hub.config.batchLimit, app.hub.config.bodyLimit);
      if (hubError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      const { message, hint } = renderHubError(hubError.code, hubError.params, requestLang(request));
      void reply
        .status(hubError.statusCode)
        .send({ code: hubError.code, message, hint, requestId: request.id, ...hubError.details });
    });
    app.setNotFoundHandler((request, reply) => {
      const { message, hint } = renderHubError(
        'HUB_ERR_NOT_FOUND',
        { what: 'route', id: `${request.method} ${request.url}` },
        requestLang(request),
      );
      void reply.status(404).send({ code: 'HUB_ERR_NOT_FOUND', message, hint, requestId: request.id });
    });
  },
  { name: 'minjiang-errors', dependencies: ['minjiang-store'] },
);
