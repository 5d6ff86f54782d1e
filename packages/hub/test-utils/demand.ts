/**
 * Shared setup of the demand tests: a hub on a settable clock with the 2025 holiday calendar,
 * 福建省市场监督管理局 (SCJG) as the requester, 福建省公安厅 (GAT) as the provider with a draft
 * resource of its own, 民政厅 (MZT) as a third organisation, and a webhook per party.
 */
import type { LightMyRequestResponse } from 'fastify';
import { hubOrganisationId } from '../src/bootstrap.js';
import type { Engine } from '../src/db/database.js';
import { auditedActions, queuedNotifications } from './workflow.js';
import { createToken } from '../src/modules/identity/service.js';
import { catalogEntry, putEntry, resourceCode } from './catalog.js';
import { CALENDAR, NOW } from './governance.js';
import { buildTestHub, department, type TestHub } from './hub.js';

export { NOW };
/** Ten working days after Friday 26 September 2025, across the National Day week. */
export const DEMAND_DEADLINE = '2025-10-16T15:59:59.999Z';

export const REQUESTER = department('SCJG');
export const PROVIDER = department('GAT');
export const THIRD = department('MZT');
/** A resource GAT registered (still a draft: any status fulfils) and one SCJG registered. */
export const GAT_CODE = resourceCode(1);
export const SCJG_CODE = resourceCode(2);

export interface DemandView {
  id: string;
  requester: string;
  provider?: string;
  state: string;
  deadline?: string;
  breachedAt?: string;
  reason?: string;
  fulfilment?: { resourceCode: string; note?: string; fulfilledAt: string };
  next: {
    party: string;
    role: string | null;
    org: string | null;
    actions: string[];
    deadline: string | null;
  };
  history?: {
    seq: number;
    action: string;
    from: string | null;
    to: string;
    actor: Record<string, unknown>;
    reason?: string;
  }[];
}

export type DemandHub = TestHub & {
  setNow(now: Date): void;
  /** Tokens of the parties: requester (SCJG officer), provider (GAT officer, reviewer), third (MZT officer). */
  parties: { requester: string; provider: string; providerReviewer: string; third: string };
  post(token: string | null, url: string, payload?: object): Promise<LightMyRequestResponse>;
  get(token: string | null, url: string): Promise<LightMyRequestResponse>;
  /** Files a demand as the requester; answers the view. */
  file(extra?: Record<string, unknown>): Promise<DemandView>;
  /** `<type>.<action>` of the audit entries of an object, oldest first. */
  audited(object: string): Promise<string[]>;
  /** Queued notifications: event and webhook org, per subject. */
  queued(subject: string): Promise<{ event: string; org: string; platform: number; action: string }[]>;
};

export function demandBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: '企业登记人员户籍核验',
    wantedItems: ['公民身份号码', '姓名', '户籍地址'],
    purpose: '企业开办时核验法定代表人的户籍信息',
    scenario: '政务服务',
    urgency: 'NORMAL',
    contact: { name: '林晓', phone: '0591-87654321' },
    ...extra,
  };
}

export async function webhook(hub: TestHub, org: string, platform: boolean): Promise<void> {
  await hub.app.hub.store.db
    .insertInto('webhooks')
    .values({
      id: `wh-${org.slice(-6)}-${platform ? 'p' : 'o'}`,
      org_id: org,
      url: 'http://127.0.0.1:9/hook',
      secret_enc: hub.app.hub.key.seal('s'),
      events: '["*"]',
      platform: platform ? 1 : 0,
      created_by: 'test',
      created_at: NOW.toISOString(),
      disabled_at: null,
    })
    .execute();
}

export async function demandHub(engine: Engine): Promise<DemandHub> {
  let clock = NOW;
  const hub = await buildTestHub(engine, { holidayCalendar: CALENDAR }, () => clock);
  const issue = async (org: string, role: 'officer' | 'reviewer') =>
    (await createToken(hub.app, null, { orgId: org, name: `demand ${role}`, roles: [role] }, 'en')).token;
  const parties = {
    requester: hub.tokens.otherOfficer,
    provider: hub.tokens.officer,
    providerReviewer: hub.tokens.reviewer,
    third: await issue(THIRD.id, 'officer'),
  };
  for (const [n, dept, token] of [
    [1, 'GAT', parties.provider],
    [2, 'SCJG', parties.requester],
  ] as const) {
    const put = await putEntry(hub, token, catalogEntry(n, {}, dept));
    if (put.statusCode >= 300) throw new Error(`put ${n}: ${put.body}`);
  }
  await webhook(hub, REQUESTER.id, false);
  await webhook(hub, PROVIDER.id, false);
  await webhook(hub, hubOrganisationId(hub.config.hubCode), true);
  const post = (token: string | null, url: string, payload?: object) =>
    hub.call(token, { method: 'POST', url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
  const get = (token: string | null, url: string) => hub.call(token, { method: 'GET', url: `/api/v1${url}` });
  return {
    ...hub,
    parties,
    post,
    get,
    setNow: (now) => {
      clock = now;
    },
    file: async (extra = {}) => {
      const response = await post(parties.requester, '/demands', demandBody(extra));
      if (response.statusCode !== 201) throw new Error(`file: ${response.body}`);
      return response.json() as DemandView;
    },
    audited: (object) => auditedActions(hub, object),
    queued: (subject) => queuedNotifications(hub, subject),
  };
}
