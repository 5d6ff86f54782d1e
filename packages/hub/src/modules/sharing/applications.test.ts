import { openDsse, validateApplication, validateGrant } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test-utils/hub.js';
import {
  APPLICANT,
  CONDITIONAL,
  PROVIDER,
  sharingHub,
  steps,
  UNCONDITIONAL,
  type ApplicationView,
  type SharingHub,
} from '../../../test-utils/sharing.js';

interface GrantView {
  status: string;
  items: string[];
  envelope: unknown;
  document: unknown;
  validTo: string;
}

const OFFER = {
  items: ['公民身份号码', '姓名'],
  masking: 'MP-STD-01',
  quota: { perDay: 500, perSecond: 5 },
  period: { from: '2025-10-01', to: '2026-03-31' },
  mode: 'API',
};

describe.each(ENGINES)('sharing applications on %s', (engine) => {
  let hub: SharingHub;
  beforeAll(async () => {
    hub = await sharingHub(engine);
  });
  afterAll(async () => hub.close());

  /** Applies for the conditional resource and takes it to an offer. */
  async function offered(): Promise<ApplicationView> {
    const created = await hub.apply(CONDITIONAL);
    await hub.step(hub.tokens.admin, created.id, 'approve');
    return (await hub.step(hub.tokens.reviewer, created.id, 'offer', OFFER)).json<ApplicationView>();
  }

  async function accept(view: ApplicationView): Promise<ApplicationView> {
    const payload = { offerId: view.offer?.id, offerDigest: view.offer?.digest };
    return (await hub.step(hub.tokens.otherOfficer, view.id, 'accept', payload)).json<ApplicationView>();
  }

  it('takes a 有条件共享 application through precheck and provider review, with deadlines', async () => {
    const created = await hub.apply(CONDITIONAL);
    expect(created).toMatchObject({ state: 'PRECHECK', shareType: 'CONDITIONAL' });
    expect(created.id).toMatch(/^urn:ses:app:350000:2025:\d+$/);
    expect(steps(created)).toEqual(['create:DRAFT', 'submit:SUBMITTED', 'take_up:PRECHECK']);
    // Friday 26 September 2025: 2 working days are Sunday 28 (调休上班) and Monday 29.
    expect(created.next).toEqual({
      party: 'platform',
      role: 'admin',
      org: null,
      actions: ['approve', 'reject'],
      deadline: '2025-09-29T15:59:59.999Z',
    });
    const reviewed = (await hub.step(hub.tokens.admin, created.id, 'approve')).json<ApplicationView>();
    expect(reviewed.state).toBe('PROVIDER_REVIEW');
    expect(reviewed.next).toMatchObject({ party: 'provider', role: 'reviewer', org: PROVIDER.id });
    expect(reviewed.next.actions).toEqual(['approve', 'offer', 'reject']);
    // 5 working days after 26 September: 28, 29, 30 September, then 9 and 10 October.
    expect(reviewed.deadline).toBe('2025-10-10T15:59:59.999Z');
  });

  it('issues a signed grant for exactly the accepted offer', async () => {
    const view = await offered();
    expect(view.state).toBe('OFFERED');
    expect(view.offer).toMatchObject({
      ...OFFER,
      digest: expect.stringMatching(/^sm3:[0-9a-f]{64}$/) as string,
    });
    expect(view.next).toMatchObject({
      party: 'applicant',
      org: APPLICANT.id,
      actions: ['accept', 'withdraw'],
    });
    const wrong = { offerId: view.offer?.id, offerDigest: `sm3:${'0'.repeat(64)}` };
    expect((await hub.step(hub.tokens.otherOfficer, view.id, 'accept', wrong)).statusCode).toBe(409);
    const approved = await accept(view);
    expect(approved.state).toBe('APPROVED');
    expect(steps(approved).slice(-2)).toEqual(['accept:ACCEPTED', 'approve:APPROVED']);
    expect(approved.next).toMatchObject({ party: 'applicant', actions: ['activate'] });
    const grant = (
      await hub.get(hub.tokens.otherOfficer, `/grants/${encodeURIComponent(approved.grant!)}`)
    ).json<GrantView>();
    expect(grant).toMatchObject({
      status: 'active',
      items: OFFER.items,
      validTo: '2026-03-31T15:59:59.999Z',
    });
    const document = openDsse(grant.envelope, hub.publicKey, 'application/vnd.ses.grant+json;v=1');
    expect(document).toEqual(grant.document);
    expect(validateGrant(document)).toEqual([]);
    expect(JSON.stringify(document)).toContain(
      '"leftOperand":"ses:fields","operator":"isAnyOf","rightOperand":["GMSFHM","XM"]',
    );
    expect(JSON.stringify(document)).toContain(
      '"leftOperand":"ses:perSecond","operator":"lteq","rightOperand":5',
    );
    const standard = await hub.get(
      hub.tokens.reviewer,
      `/applications/${encodeURIComponent(view.id)}/document`,
    );
    expect(validateApplication(standard.json())).toEqual([]);
  });

  it('approves a 无条件共享 application at the platform’s precheck, without the provider', async () => {
    const created = await hub.apply(UNCONDITIONAL);
    const approved = (await hub.step(hub.tokens.admin, created.id, 'approve')).json<ApplicationView>();
    expect(approved.state).toBe('APPROVED');
    expect(approved.grant).toMatch(/^urn:ses:grant:350000:2025:\d+$/);
  });

  it('judges an open-data application (开放申请) by the resource’s opening type', async () => {
    const created = await hub.apply(UNCONDITIONAL, { kind: 'open' });
    expect(created.id).toMatch(/^urn:ses:oapp:350000:2025:\d+$/);
    // The fixture resource is 无条件共享 but 不予开放: open data goes to the 主管部门 only.
    expect(created).toMatchObject({ state: 'REJECTED', shareType: 'NONE' });
  });

  it('issues credentials once, rotates them, and refuses them once the grant is revoked', async () => {
    const approved = await accept(await offered());
    const url = `/grants/${encodeURIComponent(approved.grant!)}/credentials`;
    const first = await hub.post(hub.tokens.otherOfficer, url);
    expect(first.statusCode).toBe(201);
    const { appKey, secret } = first.json<{ appKey: string; secret: string }>();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await hub.app.hub.store.db
      .selectFrom('grant_credentials')
      .selectAll()
      .where('app_key', '=', appKey)
      .executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(secret);
    expect(hub.app.hub.key.open(stored.secret_enc)).toBe(secret);
    const active = (
      await hub.get(hub.tokens.otherOfficer, `/applications/${encodeURIComponent(approved.id)}`)
    ).json<ApplicationView>();
    expect(active.state).toBe('ACTIVE');
    const again = await hub.post(hub.tokens.otherOfficer, url);
    expect(again.json()).toMatchObject({ code: 'HUB_ERR_CREDENTIAL_EXISTS' });
    expect((await hub.post(hub.tokens.reviewer, url)).json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
    const rotated = await hub.post(hub.tokens.otherOfficer, url, { rotate: true });
    expect(rotated.statusCode).toBe(201);
    const listed = (await hub.get(hub.tokens.otherOfficer, url)).json<{
      items: { appKey: string; status: string }[];
    }>();
    expect(listed.items.map((item) => item.status).sort()).toEqual(['active', 'revoked']);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const revoked = await hub.step(hub.tokens.reviewer, approved.id, 'revoke', {
      reason: '监测发现超范围使用',
    });
    expect(revoked.json()).toMatchObject({ state: 'REVOKED', reason: '监测发现超范围使用' });
    const grant = (
      await hub.get(hub.tokens.admin, `/grants/${encodeURIComponent(approved.grant!)}`)
    ).json<GrantView>();
    expect(grant.status).toBe('revoked');
    expect((await hub.post(hub.tokens.otherOfficer, url, { rotate: true })).json()).toMatchObject({
      code: 'HUB_ERR_GRANT_INACTIVE',
    });
  });

  it('suspends and resumes a grant, and the grant follows', async () => {
    const approved = await accept(await offered());
    await hub.post(hub.tokens.otherOfficer, `/grants/${encodeURIComponent(approved.grant!)}/credentials`);
    const suspended = await hub.step(hub.tokens.admin, approved.id, 'suspend', { reason: '安全检查' });
    expect(suspended.json()).toMatchObject({ state: 'SUSPENDED' });
    const grantUrl = `/grants/${encodeURIComponent(approved.grant!)}`;
    expect((await hub.get(hub.tokens.otherOfficer, grantUrl)).json<GrantView>().status).toBe('suspended');
    expect((await hub.step(hub.tokens.reviewer, approved.id, 'resume')).json()).toMatchObject({
      state: 'ACTIVE',
    });
    expect((await hub.get(hub.tokens.otherOfficer, grantUrl)).json<GrantView>().status).toBe('active');
  });

  it('lists applications newest first by cursor, to each side its own', async () => {
    const page = (token: string, url: string) =>
      hub.get(token, url).then((r) => r.json<{ items: { id: string }[]; next?: string }>());
    const first = await page(hub.tokens.otherOfficer, '/applications?as=applicant&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await page(
      hub.tokens.otherOfficer,
      `/applications?as=applicant&limit=2&cursor=${first.next!}`,
    );
    expect(second.items.map((item) => item.id)).not.toContain(first.items[0]!.id);
    const ids = [...first.items, ...second.items].map((item) => item.id);
    // One clock in these tests: equal creation times fall back to the id, descending.
    expect([...ids].sort().reverse()).toEqual(ids);
    const provider = await page(hub.tokens.reviewer, '/applications?as=provider&limit=500');
    expect(provider.items.map((item) => item.id)).toEqual(expect.arrayContaining(ids));
    expect((await hub.get(hub.tokens.consumer, '/applications')).statusCode).toBe(403);
  });
});
