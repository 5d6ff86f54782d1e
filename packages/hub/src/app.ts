import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { authPlugin } from './plugins/auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { storePlugin, type StoreOptions } from './plugins/store.js';
import { validationPlugin } from './plugins/validation.js';
import { openapiPlugin } from './plugins/openapi.js';
import { identityRoutes } from './modules/identity/routes.js';
import { metaRoutes } from './modules/meta/routes.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { catalogReviewBatchRoutes } from './modules/catalog/review-batch-routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { governanceRoutes } from './modules/governance/routes.js';
import { aggregationRoutes } from './modules/aggregation/routes.js';
import { sharingRoutes } from './modules/sharing/routes.js';
import { exchangeRoutes } from './modules/exchange/routes.js';
import { schedulerRoutes } from './modules/workflow/routes.js';
import { demandRoutes } from './modules/demand/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { assessmentRoutes } from './modules/assessment/routes.js';
import { gradingRoutes } from './modules/grading/routes.js';
import { registryRoutes } from './modules/cascade/routes-registry.js';
import { cascadeFeedRoutes } from './modules/cascade/routes-feed.js';
import { cascadeSyncRoutes } from './modules/cascade/sync-routes.js';
import { cascadeNudgePlugin } from './modules/cascade/nudge-routes.js';
import { cascadeReturnRoutes } from './modules/cascade/return-routes.js';
import { cascadeReturnPushPlugin } from './modules/cascade/return-push.js';
import { cascadeRoutingRoutes } from './modules/cascade/routing-routes.js';

export type AppOptions = StoreOptions;

/**
 * The hub as a Fastify plugin: external plugins, then the hub's own (store, validation,
 * errors, auth), then each module's routes. `server.ts` boots it; tests register it directly.
 */
async function hubApp(app: FastifyInstance, options: AppOptions): Promise<void> {
  await app.register(storePlugin, options);
  await app.register(validationPlugin);
  await app.register(openapiPlugin);
  await app.register(errorsPlugin);
  await app.register(authPlugin);
  await app.register(cascadeNudgePlugin);
  await app.register(cascadeReturnPushPlugin);
  await app.register(metaRoutes);
  await app.register(identityRoutes);
  await app.register(catalogRoutes);
  await app.register(catalogReviewBatchRoutes);
  await app.register(auditRoutes);
  await app.register(governanceRoutes);
  await app.register(aggregationRoutes);
  await app.register(sharingRoutes);
  await app.register(exchangeRoutes);
  await app.register(schedulerRoutes);
  await app.register(demandRoutes);
  await app.register(notificationRoutes);
  await app.register(assessmentRoutes);
  await app.register(gradingRoutes);
  await app.register(registryRoutes);
  await app.register(cascadeFeedRoutes);
  await app.register(cascadeSyncRoutes);
  await app.register(cascadeReturnRoutes);
  await app.register(cascadeRoutingRoutes);
}

export const app = fp(hubApp, { name: 'minjiang-hub', fastify: '5.x' });
