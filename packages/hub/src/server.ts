import Fastify, { type FastifyInstance } from 'fastify';
import { app } from './app.js';
import type { HubConfig } from './config.js';
import { startScheduler } from './modules/workflow/scheduler.js';

/** Options of a running hub beyond its configuration. */
export interface StartOptions {
  /** Pretty, human logs on a terminal; JSON lines otherwise. */
  prettyLogs?: boolean;
}

/**
 * Creates the Fastify instance with the server-level settings and the hub registered. `now`
 * replaces the clock (end-to-end tests of deadlines).
 */
export async function createServer(
  config: HubConfig,
  options: { now?: () => Date } = {},
): Promise<FastifyInstance> {
  const server = Fastify({
    logger: {
      level: config.logLevel,
      // Logs are diagnostics: stderr, so stdout stays for results.
      stream: process.stderr,
      // Secrets never reach a log line.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'body.token'],
        censor: '[redacted]',
      },
    },
    bodyLimit: config.bodyLimit,
    requestTimeout: 120_000,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
  });
  await server.register(app, { config, ...(options.now ? { now: options.now } : {}) });
  return server;
}

/**
 * Starts a hub with its scheduler (deadlines, webhook deliveries) and closes it gracefully on SIGINT/SIGTERM (in-flight requests finish, the
 * database closes). Returns the listening instance and its address.
 */
export async function startServer(config: HubConfig): Promise<{ server: FastifyInstance; address: string }> {
  const server = await createServer(config);
  // Before listen: Fastify takes no hooks once it is ready.
  startScheduler(server);
  const address = await server.listen({ host: config.host, port: config.port });
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { server, address };
}
