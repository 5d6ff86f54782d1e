import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, putEntry, resourceCode } from '../../../test-utils/catalog.js';
import { ENGINES } from '../../../test-utils/hub.js';
import {
  applicationBody,
  CONDITIONAL,
  NOT_SHARED,
  sharingHub,
  steps,
  type ApplicationView,
  type SharingHub,
} from '../../../test-utils/sharing.js';
import { auditedActions, queuedNotifications } from '../../../test-utils/workflow.js';

interface Refusal {
  code: string;
  issues?: { code: string; location: string }[];
  items?: string[];
  currentState?: string;
  allowed?: string[];
}

describe.each(ENGINES)('application refusals on %s', (engine) => {
  let hub: SharingHub;
  beforeAll(async () => {
    hub = await sharingHub(engine);
  });
  afterAll(async () => hub.close());

  const create = (token: string | null, body: object) => hub.post(token, '/applications', body);

  it('refuses callers without the applicant’s role', async () => {
    expect((await create(null, applicationBody(CONDITIONAL))).statusCode).toBe(401);
    const consumer = await create(hub.tokens.consumer, applicationBody(CONDITIONAL));
    expect(consumer.json<Refusal>().code).toBe('HUB_ERR_FORBIDDEN');
  });

  it('never grants an item marked 不予共享, and says which', async () => {
    const response = await create(
      hub.tokens.otherOfficer,
      applicationBody(CONDITIONAL, { items: ['姓名', '民族'] }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json<Refusal>()).toMatchObject({ code: 'HUB_ERR_ITEM_NOT_SHAREABLE', items: ['民族'] });
  });

  it('lists what is wrong with an application, where', async () => {
    const body = applicationBody(CONDITIONAL, {
      items: ['姓名', '婚姻状况'],
      period: { from: '2026-07-01', to: '2026-06-30' },
    });
    const response = await create(hub.tokens.otherOfficer, body);
    expect(response.statusCode).toBe(422);
    const issues = response.json<Refusal>().issues?.map((issue) => `${issue.code} ${issue.location}`);
    expect(issues).toEqual(['APP_ITEM /items/1', 'APP-001 /period/to']);
    const own = await create(hub.tokens.officer, applicationBody(CONDITIONAL));
    expect(own.json<Refusal>().issues?.map((issue) => issue.code)).toEqual(['APP_OWN']);
    await putEntry(hub, hub.tokens.officer, catalogEntry(9));
    const draft = await create(hub.tokens.otherOfficer, applicationBody(resourceCode(9)));
    expect(draft.json<Refusal>().code).toBe('HUB_ERR_NOT_PUBLISHED');
  });

  it('refuses a step from the wrong organisation, the wrong state, or without a reason', async () => {
    const { id } = await hub.apply(CONDITIONAL);
    const offer = await hub.step(hub.tokens.reviewer, id, 'offer', { items: ['姓名'] });
    expect(offer.statusCode).toBe(409);
    expect(offer.json<Refusal>()).toMatchObject({
      code: 'HUB_ERR_WORKFLOW_STATE',
      currentState: 'PRECHECK',
      allowed: ['approve', 'reject', 'withdraw'],
    });
    expect((await hub.step(hub.tokens.officer, id, 'withdraw')).json<Refusal>().code).toBe(
      'HUB_ERR_NOT_PARTY',
    );
    // The provider's turn comes after the platform's precheck.
    expect((await hub.step(hub.tokens.reviewer, id, 'approve')).json<Refusal>().code).toBe(
      'HUB_ERR_NOT_PARTY',
    );
    const blank = await hub.step(hub.tokens.admin, id, 'reject', { reason: '   ' });
    expect(blank.json<Refusal>().code).toBe('HUB_ERR_REASON_REQUIRED');
    const stale = await hub.step(hub.tokens.admin, id, 'approve', { expectedState: 'DRAFT' });
    expect(stale.json<Refusal>()).toMatchObject({ code: 'HUB_ERR_WORKFLOW_STATE', currentState: 'PRECHECK' });
    const third = await hub.get(hub.tokens.consumer, `/applications/${encodeURIComponent(id)}`);
    expect(third.statusCode).toBe(403);
    const view = (
      await hub.get(hub.tokens.otherOfficer, `/applications/${encodeURIComponent(id)}`)
    ).json<ApplicationView>();
    expect(view.state).toBe('PRECHECK');
  });

  it('takes a repeated message once, and records each step in the audit log and the outbox', async () => {
    const { id } = await hub.apply(CONDITIONAL);
    const first = await hub.step(hub.tokens.otherOfficer, id, 'withdraw', {
      messageId: 'm-1',
      reason: '需求已变更',
    });
    const again = await hub.step(hub.tokens.otherOfficer, id, 'withdraw', {
      messageId: 'm-1',
      reason: '需求已变更',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<ApplicationView>().history).toEqual(first.json<ApplicationView>().history);
    expect(steps(again.json<ApplicationView>())).toEqual([
      'create:DRAFT',
      'submit:SUBMITTED',
      'take_up:PRECHECK',
      'withdraw:WITHDRAWN',
    ]);
    expect((await hub.step(hub.tokens.otherOfficer, id, 'withdraw', { messageId: 'm-2' })).statusCode).toBe(
      409,
    );
    expect(await auditedActions(hub, id)).toEqual([
      'app.create',
      'app.submit',
      'app.take_up',
      'app.withdraw',
    ]);
    const queued = await queuedNotifications(hub, id);
    expect(
      queued.filter((entry) => entry.event === 'application.action_needed').map((entry) => entry.platform),
    ).toEqual([1]);
    expect(queued.filter((entry) => entry.action === 'withdraw').map((entry) => entry.event)).toEqual([
      'application.decision',
      'application.decision',
    ]);
  });

  it('rejects a 不予共享 resource at once; only the 主管部门 can then approve, after an escalation', async () => {
    const rejected = await hub.apply(NOT_SHARED);
    expect(rejected).toMatchObject({ state: 'REJECTED', shareType: 'NONE', final: false });
    expect(rejected.history.at(-1)).toMatchObject({ action: 'reject', actor: { system: 'precheck' } });
    expect(rejected.next).toMatchObject({ party: 'applicant', actions: ['escalate'] });
    const silent = await hub.step(hub.tokens.otherOfficer, rejected.id, 'escalate');
    expect(silent.json<Refusal>().code).toBe('HUB_ERR_REASON_REQUIRED');
    const escalated = (
      await hub.step(hub.tokens.otherOfficer, rejected.id, 'escalate', { reason: '法定职责需要' })
    ).json<ApplicationView>();
    expect(escalated.next).toMatchObject({ party: 'platform', actions: ['approve', 'reject'] });
    const final = (
      await hub.step(hub.tokens.admin, rejected.id, 'reject', { reason: '协调未果' })
    ).json<ApplicationView>();
    expect(final).toMatchObject({ state: 'REJECTED', final: true, next: { party: 'nobody' } });
    expect(
      (await hub.step(hub.tokens.otherOfficer, rejected.id, 'escalate', { reason: '再议' })).statusCode,
    ).toBe(409);
    const second = await hub.apply(NOT_SHARED);
    await hub.step(hub.tokens.otherOfficer, second.id, 'escalate', { reason: '法定职责需要' });
    const approved = (await hub.step(hub.tokens.admin, second.id, 'approve')).json<ApplicationView>();
    expect(approved.state).toBe('APPROVED');
  });
});
