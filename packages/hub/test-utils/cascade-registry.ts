/**
 * Two real hubs on loopback for the registry tests: a province listening on a port, and a city
 * configured with it as its parent (docs/cascade-api.md "Registration and approval"); plus a
 * probe server whose routes run `authenticateNode` against one hub's registry, so hub-to-hub
 * requests are tested over real HTTP.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { hubOrganisationId } from '../src/bootstrap.js';
import type { HubConfig } from '../src/config.js';
import type { Engine } from '../src/db/database.js';
import { HubError } from '../src/errors.js';
import { authenticateNode } from '../src/modules/cascade/node-auth.js';
import type { HubContext } from '../src/plugins/store.js';
import type { Role } from '../src/roles.js';
import { buildTestHub, startTestHub, testHubOf, testToken, type TestHub, type TestTokens } from './hub.js';

export async function listen(instance: FastifyInstance): Promise<string> {
  await instance.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(instance.server.address() as AddressInfo).port}`;
}

/** A hub of any role whose tokens all belong to its platform organisation (roles are what matter). */
export async function platformHub(engine: Engine, overrides: Partial<HubConfig>): Promise<TestHub> {
  const started = await startTestHub(engine, overrides);
  const platform = hubOrganisationId(started.config.hubCode);
  const token = (roles: Role[]) => testToken(started.hub, platform, roles);
  const tokens: TestTokens = {
    admin: await token(['admin']),
    auditor: await token(['auditor']),
    officer: await token(['officer']),
    otherOfficer: await token(['officer']),
    reviewer: await token(['reviewer']),
    consumer: await token(['consumer']),
  };
  return testHubOf(started, tokens);
}

export interface CascadePair {
  province: TestHub;
  provinceUrl: string;
  city: TestHub;
  cityUrl: string;
  close(): Promise<void>;
}

/** A listening province (350000) and a listening city (350100) whose parent it is. */
export async function cascadePair(engine: Engine): Promise<CascadePair> {
  const province = await buildTestHub(engine);
  const provinceUrl = await listen(province.app);
  const city = await platformHub(engine, {
    hubCode: '350100',
    role: 'city',
    parentUrl: `${provinceUrl}/`,
    parentCode: '350000',
  });
  const cityUrl = await listen(city.app);
  return {
    province,
    provinceUrl,
    city,
    cityUrl,
    close: async () => {
      await city.close();
      await province.close();
    },
  };
}

/**
 * A server whose `/probe` (GET and POST) answers what `authenticateNode(hub, …, from)` makes of
 * the request: `{ hub }`, or the refusal's `{ code }` with its status.
 */
export async function probeServer(hub: HubContext, from: 'child' | 'parent') {
  const probe = Fastify({ logger: false });
  probe.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  probe.route({
    method: ['GET', 'POST'],
    url: '/probe',
    handler: async (request, reply) => {
      try {
        const body = Buffer.isBuffer(request.body) ? request.body : undefined;
        return await authenticateNode(hub, request, body, from);
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        return reply.code(error.statusCode).send({ code: error.code });
      }
    },
  });
  const url = await listen(probe);
  return { url: `${url}/probe`, close: () => probe.close() };
}
