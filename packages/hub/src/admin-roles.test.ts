import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, ENGINES } from '../test-utils/hub.js';
import { sharingHub, UNCONDITIONAL, CONDITIONAL, type SharingHub } from '../test-utils/sharing.js';
import { app } from './app.js';
import { hubOrganisationId, initialiseHub } from './bootstrap.js';
import { loadConfig } from './config.js';
import { createToken } from './modules/identity/service.js';
import type { Access } from './roles.js';

/**
 * Issue 9, part 5: the platform administrator acts, the auditor (GB/T 39477, kept apart from the
 * administrator) reads but never acts. The routes are taken from the app itself (onRoute), not
 * from a list kept by hand, so a route added later is checked without anyone remembering to.
 */

interface Registered {
  method: string;
  url: string;
  access: Access | undefined;
}

const READS = new Set(['GET', 'HEAD']);

/**
 * Writes an auditor may send, each with why it is not an administrator's act: the auditor's
 * own duty over the log, and the exchange API, which is authenticated by grant signatures
 * (HMAC-SM3 / SM2), never by a role token.
 */
const AUDITOR_WRITES: Record<string, string> = {
  'POST /api/v1/audit/checkpoints': "the auditor's duty: sign a checkpoint of the log it audits",
  'POST /ses/r1/packages': 'exchange API: signed by a grant credential, no role token',
  'POST /ses/r1/packages/:id/receipt': 'exchange API: signed by a grant credential, no role token',
  'POST /ses/r1/*': 'exchange API: signed by a grant credential, no role token',
  'POST /api/v1/cascade/children':
    "cascade registration: a city's envelope signed by its own node key, no role token",
  'POST /api/v1/cascade/nudge':
    "cascade nudge: signed by an approved child hub's node key; every role token is refused",
  'POST /api/v1/cascade/return/nudge':
    "return-flow nudge at a city: signed by the pinned parent's node key; every role token is refused",
  'POST /api/v1/cascade/applications':
    'cascade routing: signed by the pinned parent or an approved child hub; every role token is refused',
  'POST /api/v1/cascade/applications/:originId/events':
    'cascade routing: signed by the pinned parent or an approved child hub; every role token is refused',
  'POST /api/v1/cascade/applications/:originId/actions':
    'cascade routing: signed by the pinned parent or an approved child hub; every role token is refused',
  'POST /api/v1/cascade/applications/:originId/credentials':
    'cascade routing: signed by the pinned parent or an approved child hub; every role token is refused',
};

/** A URL the route matches: every parameter (with or without a pattern) becomes `x1`. */
function concrete(url: string): string {
  // `::` is a literal colon, not a parameter.
  return url
    .split('::')
    .map((part) => part.replace(/:\w+(\([^)]*\))?/g, 'x1').replace(/\*/g, 'x1'))
    .join(':');
}

/** The hub as tests build it, with every route recorded as it is registered. */
async function recordingHub(): Promise<{
  hub: FastifyInstance;
  routes: Registered[];
  auditor: string;
  dispose: () => Promise<void>;
}> {
  const { store, dataDir, dispose } = await freshStore('sqlite');
  const config = loadConfig({ dataDir, logLevel: 'silent' }, {});
  const hub = Fastify({ logger: false });
  const routes: Registered[] = [];
  hub.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = (route.config as { access?: Access } | undefined)?.access;
    for (const method of methods) routes.push({ method, url: route.url, access });
  });
  await hub.register(app, { config, store });
  await hub.ready();
  await initialiseHub(hub, { issueAdminToken: false });
  const org = hubOrganisationId(config.hubCode);
  const auditor = (await createToken(hub, null, { orgId: org, name: 'auditor', roles: ['auditor'] }, 'en'))
    .token;
  return {
    hub,
    routes,
    auditor,
    dispose: async () => {
      await hub.close();
      await dispose();
    },
  };
}

const auditCount = async (hub: FastifyInstance) =>
  Number(
    (
      await hub.hub.store.db
        .selectFrom('audit_entries')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('admin and auditor: every route of the app', () => {
  let recorded: Awaited<ReturnType<typeof recordingHub>>;
  beforeAll(async () => {
    recorded = await recordingHub();
  });
  afterAll(async () => recorded.dispose());

  it('refuses the auditor (403) on every route whose access names admin but not auditor', async () => {
    const { hub, routes, auditor } = recorded;
    const adminOnly = routes.filter(
      ({ access }) => Array.isArray(access) && access.includes('admin') && !access.includes('auditor'),
    );
    // The ones this issue is about are among them (a hub that lost them would pass vacuously).
    expect(adminOnly.map((route) => `${route.method} ${route.url}`)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/catalog/resources::review',
        'POST /api/v1/catalog/resources/:code(^[^:]+)::approve',
        'POST /api/v1/applications/:id/approve',
        'POST /api/v1/applications/:id/reject',
        'POST /api/v1/tokens',
        'POST /api/v1/admin/sweep',
      ]),
    );
    const before = await auditCount(hub);
    const wrong: string[] = [];
    for (const route of adminOnly) {
      const response = await hub.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        headers: { authorization: `Bearer ${auditor}` },
        ...(READS.has(route.method) || route.method === 'DELETE' ? {} : { payload: {} }),
      });
      // A HEAD answer has no body to name the code in.
      const code = route.method === 'HEAD' ? 'HUB_ERR_FORBIDDEN' : response.json<{ code: string }>().code;
      if (response.statusCode !== 403 || code !== 'HUB_ERR_FORBIDDEN')
        wrong.push(`${route.method} ${route.url}: ${response.statusCode} ${response.body.slice(0, 80)}`);
    }
    expect(wrong).toEqual([]);
    // Refused before anything ran: nothing was recorded, so nothing was done.
    expect(await auditCount(hub)).toBe(before);
  });

  it('gives the auditor no write route but its own checkpoint and the signed exchange API', () => {
    const writes = recorded.routes.filter(
      ({ method, access }) =>
        !READS.has(method) &&
        (access === 'public' ||
          access === 'authenticated' ||
          (Array.isArray(access) && access.includes('auditor'))),
    );
    expect(writes.map((route) => `${route.method} ${route.url}`).sort()).toEqual(
      Object.keys(AUDITOR_WRITES).sort(),
    );
  });
});

describe.each(ENGINES)('the administrator’s precheck of applications on %s', (engine) => {
  let hub: SharingHub;
  beforeAll(async () => {
    hub = await sharingHub(engine);
  });
  afterAll(async () => hub.close());

  /** The audit leaves of an application's transitions, as `action role`. */
  const audited = async (id: string) =>
    (
      await hub.app.hub.store.db
        .selectFrom('audit_entries')
        .select(['action', 'leaf'])
        .where('object', '=', id)
        .orderBy('seq')
        .execute()
    ).map((row) => `${row.action} ${(JSON.parse(row.leaf) as { actor: { role: string } }).actor.role}`);

  it('records approve and reject at PRECHECK with the admin role; the auditor is refused and nothing is written', async () => {
    const first = await hub.apply(UNCONDITIONAL);
    const second = await hub.apply(CONDITIONAL);
    expect([first.state, second.state]).toEqual(['PRECHECK', 'PRECHECK']);
    const before = await audited(first.id);
    for (const action of ['approve', 'reject']) {
      const refused = await hub.step(hub.tokens.auditor, first.id, action, { reason: '审计员不能审核' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
    }
    expect(await audited(first.id)).toEqual(before);
    expect(
      (await hub.step(hub.tokens.admin, first.id, 'approve', { expectedState: 'PRECHECK' })).statusCode,
    ).toBe(200);
    const rejected = await hub.step(hub.tokens.admin, second.id, 'reject', {
      expectedState: 'PRECHECK',
      reason: '用途与资源共享条件不符',
    });
    expect(rejected.statusCode).toBe(200);
    expect((await audited(first.id)).slice(before.length)).toContain('app.approve admin');
    expect(await audited(second.id)).toContain('app.reject admin');
  });
});
