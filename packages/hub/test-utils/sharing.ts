/**
 * Shared setup of the application tests: a hub on a fixed clock with the 2025 calendar and three
 * published GAT resources — 有条件共享 with one 不予共享 item, 无条件共享, and 不予共享 — for
 * SCJG (the applicant) to apply for; webhooks for both organisations and the platform.
 */
import type { LightMyRequestResponse } from 'fastify';
import { hubOrganisationId } from '../src/bootstrap.js';
import type { Engine } from '../src/db/database.js';
import { catalogEntry, putEntry, resourceCode, transition } from './catalog.js';
import { webhook } from './demand.js';
import { CALENDAR, NOW } from './governance.js';
import { buildTestHub, department, type TestHub } from './hub.js';

export { NOW };
export const APPLICANT = department('SCJG');
export const PROVIDER = department('GAT');
export const CONDITIONAL = resourceCode(1);
export const UNCONDITIONAL = resourceCode(2);
export const NOT_SHARED = resourceCode(3);

const ITEMS = catalogEntry(1).items ?? [];

/** The fixture's items, all of one share type (the catalog's CAT-014 asks for it). */
function itemsShared(type: '无条件共享' | '不予共享') {
  return ITEMS.map((original) => {
    const item = { ...original };
    delete item.shareType;
    delete item.shareCondition;
    return type === '不予共享' ? { ...item, shareType: type, shareCondition: '涉及个人隐私' } : item;
  });
}

async function publish(hub: TestHub, n: number, overrides: Parameters<typeof catalogEntry>[1]) {
  const put = await putEntry(hub, hub.tokens.officer, catalogEntry(n, overrides));
  if (put.statusCode >= 300) throw new Error(`put ${n}: ${put.body}`);
  await transition(hub, hub.tokens.officer, resourceCode(n), 'submit');
  const approved = await transition(hub, hub.tokens.admin, resourceCode(n), 'approve');
  if (approved.statusCode !== 200) throw new Error(`approve ${n}: ${approved.body}`);
}

/** An application body for a resource: three items for 2025-10-01 – 2026-06-30. */
export function applicationBody(resourceCodeValue: string, extra: Record<string, unknown> = {}) {
  return {
    resourceCode: resourceCodeValue,
    items: ['公民身份号码', '姓名', '户籍地址'],
    purposeCode: 'SCJG-0101',
    purpose: '企业开办时核验法定代表人的身份与户籍信息',
    scenario: { class: '政务服务', description: '企业开办“一件事”联办' },
    legalBasis: '《中华人民共和国市场主体登记管理条例》第十二条',
    mode: 'API',
    period: { from: '2025-10-01', to: '2026-06-30' },
    expectedVolume: { perDay: 2000 },
    contact: { name: '林晓', phone: '0591-87654321' },
    securityCommitment: { accepted: true, text: '仅用于企业登记核验，不向第三方提供，按要求删除。' },
    ...extra,
  };
}

/** The application as the API answers it (the members the tests read). */
export interface ApplicationView {
  id: string;
  state: string;
  shareType: string;
  final: boolean;
  deadline?: string;
  breachedAt?: string;
  reason?: string;
  grant?: string;
  offer?: { id: string; digest: string; items: string[] };
  next: {
    party: string;
    role: string | null;
    org: string | null;
    actions: string[];
    deadline: string | null;
  };
  history: {
    seq: number;
    action: string;
    from: string | null;
    to: string;
    reason?: string;
    actor: Record<string, string>;
  }[];
}

/** `state:action` of each history entry, for compact assertions. */
export function steps(view: ApplicationView): string[] {
  return view.history.map((entry) => `${entry.action}:${entry.to}`);
}

export type SharingHub = TestHub & {
  setNow(now: Date): void;
  post(token: string | null, url: string, payload?: object): Promise<LightMyRequestResponse>;
  get(token: string | null, url: string): Promise<LightMyRequestResponse>;
  /** Files an application as SCJG's officer and answers its view. */
  apply(code: string, extra?: Record<string, unknown>): Promise<ApplicationView>;
  /** A step on an application: `POST /applications/{id}/{action}`. */
  step(token: string, id: string, action: string, payload?: object): Promise<LightMyRequestResponse>;
};

export async function sharingHub(engine: Engine): Promise<SharingHub> {
  let clock = NOW;
  const hub = await buildTestHub(engine, { holidayCalendar: CALENDAR }, () => clock);
  const barred = ITEMS.map((item) =>
    item.name === '民族'
      ? { ...item, shareType: '不予共享' as const, shareCondition: '民族信息不在共享范围内' }
      : item,
  );
  await publish(hub, 1, { items: barred });
  await publish(hub, 2, {
    items: itemsShared('无条件共享'),
    sharing: { type: '无条件共享', methodCategory: '共享平台方式', methodTypes: ['接口'] },
  });
  await publish(hub, 3, {
    items: itemsShared('不予共享'),
    sharing: {
      type: '不予共享',
      condition: '涉及个人隐私，不予共享',
      legalBasis: '《个人信息保护法》',
      methodCategory: '共享平台方式',
      methodTypes: ['接口'],
    },
  });
  await webhook(hub, APPLICANT.id, false);
  await webhook(hub, PROVIDER.id, false);
  await webhook(hub, hubOrganisationId(hub.config.hubCode), true);
  const post = (token: string | null, url: string, payload?: object) =>
    hub.call(token, { method: 'POST', url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
  const get = (token: string | null, url: string) => hub.call(token, { method: 'GET', url: `/api/v1${url}` });
  const apply = async (code: string, extra: Record<string, unknown> = {}) => {
    const created = await post(hub.tokens.otherOfficer, '/applications', applicationBody(code, extra));
    if (created.statusCode !== 201) throw new Error(`apply: ${created.body}`);
    return created.json<ApplicationView>();
  };
  const step = (token: string, id: string, action: string, payload: object = {}) =>
    post(token, `/applications/${encodeURIComponent(id)}/${action}`, payload);
  return Object.assign(hub, { setNow: (now: Date) => void (clock = now), post, get, apply, step });
}
