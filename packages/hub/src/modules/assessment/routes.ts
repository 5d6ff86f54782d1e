import type { FastifyInstance } from 'fastify';
import { AUTH_ERRORS, errorResponses } from '../../http/schemas.js';
import { requestLang } from '../../plugins/errors.js';
import type { Role } from '../../roles.js';
import { assessmentQuery, assessmentReportSchema } from './schemas.js';
import { assessmentReport, type AssessmentQuery } from './service.js';

/** The platform (admin) assesses; the auditor may read the same report; nobody else. */
const READERS: readonly Role[] = ['admin', 'auditor'];

/** The assessment report (考核评价), docs/assessment.md. */
export async function assessmentRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: AssessmentQuery }>(
    '/api/v1/admin/assessment',
    {
      config: { access: READERS },
      schema: {
        summary:
          'Assessment of every organisation for a period: six indicators (0–100), the weighted total and the ranking (admin, auditor); audited',
        querystring: assessmentQuery,
        response: { 200: assessmentReportSchema, ...errorResponses(400, ...AUTH_ERRORS) },
      },
    },
    async (request) =>
      assessmentReport(
        { hub: app.hub, caller: request.caller!, now: app.hub.now(), lang: requestLang(request) },
        request.query,
      ),
  );
}
