import { verifyReceipt } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogEntry,
  encodedCode,
  putEntry,
  resourceCode,
  rowCounts,
  transition,
} from '../../../test-utils/catalog.js';
import { hubOrganisationId } from '../../bootstrap.js';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';

type History = {
  items: {
    version: number;
    status: string;
    reason?: string;
    createdBy: { orgId: string | null };
    statusBy?: { tokenId: string; orgId: string | null };
  }[];
};

describe.each(ENGINES)('catalog review workflow on %s', (engine) => {
  let hub: TestHub;
  let publicKey: string;
  beforeAll(async () => {
    hub = await buildTestHub(engine);
    publicKey = hub.publicKey;
  });
  afterAll(async () => hub.close());

  const read = (token: string, n: number, query = '') =>
    hub.call(token, { method: 'GET', url: `/api/v1/catalog/resources/${encodedCode(n)}${query}` });
  const history = async (token: string, n: number) =>
    (
      await hub.call(token, { method: 'GET', url: `/api/v1/catalog/resources/${encodedCode(n)}/versions` })
    ).json() as History;

  it('takes a draft through submit and approve, with a verifiable receipt and an audit entry for each step', async () => {
    const code = resourceCode(1);
    await putEntry(hub, hub.tokens.officer, catalogEntry(1));
    const submitted = await transition(hub, hub.tokens.officer, code, 'submit');
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ action: 'submit', version: 1, status: 'submitted' });
    const approved = await transition(hub, hub.tokens.admin, code, 'approve');
    expect(approved.statusCode).toBe(200);
    const body = approved.json() as { receipt: { payload: Record<string, unknown> } };
    expect(body.receipt.payload).toMatchObject({ code, version: 1, status: 'published' });
    expect(verifyReceipt(body.receipt, publicKey)).toBe(true);
    expect(await rowCounts(hub, code)).toMatchObject({ versions: 1, audit: 3 });
    const actions = await hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select(['action', 'leaf'])
      .where('object', '=', code)
      .orderBy('seq')
      .execute();
    expect(actions.map((row) => row.action)).toEqual([
      'catalog.change.create',
      'catalog.change.submit',
      'catalog.change.approve',
    ]);
    expect(JSON.parse(actions[2]?.leaf ?? '{}')).toMatchObject({
      catalog: { version: 1 },
      toState: 'PUBLISHED',
    });
    // Others now see it
    expect((await read(hub.tokens.consumer, 1)).json()).toMatchObject({ version: 1, status: 'published' });
  });

  it('refuses illegal transitions with 409 naming the current state', async () => {
    const code = resourceCode(2);
    await putEntry(hub, hub.tokens.officer, catalogEntry(2));
    const approveDraft = await transition(hub, hub.tokens.admin, code, 'approve');
    expect(approveDraft.statusCode).toBe(409);
    expect(approveDraft.json()).toMatchObject({ code: 'HUB_ERR_CONFLICT', currentStatus: 'draft' });
    expect((approveDraft.json() as { message: string }).message).toContain('draft');
    expect((await transition(hub, hub.tokens.admin, code, 'reject', { reason: '不完整' })).statusCode).toBe(
      409,
    );
    await transition(hub, hub.tokens.officer, code, 'submit');
    const twice = await transition(hub, hub.tokens.officer, code, 'submit');
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ currentStatus: 'submitted' });
    // A version under review cannot change, but the same content is simply unchanged
    const edit = await putEntry(hub, hub.tokens.officer, { ...catalogEntry(2), summary: '审核中修改。' });
    expect(edit.statusCode).toBe(409);
    expect((await putEntry(hub, hub.tokens.officer, catalogEntry(2))).json()).toMatchObject({
      result: 'unchanged',
    });
    // Reject needs a reason
    expect((await transition(hub, hub.tokens.admin, code, 'reject', {})).statusCode).toBe(400);
    expect((await transition(hub, hub.tokens.admin, code, 'reject', { reason: '' })).statusCode).toBe(400);
    const rejected = await transition(hub, hub.tokens.admin, code, 'reject', { reason: '共享条件不明确' });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    expect((await transition(hub, hub.tokens.admin, code, 'approve')).json()).toMatchObject({
      currentStatus: 'rejected',
    });
    // A rejected version is final; writing again starts version 2
    const rewrite = await putEntry(hub, hub.tokens.officer, catalogEntry(2));
    expect(rewrite.json()).toMatchObject({ result: 'updated', version: 2, status: 'draft' });
    const versions = (await history(hub.tokens.officer, 2)).items;
    expect(versions.map((v) => [v.version, v.status, v.reason ?? null])).toEqual([
      [1, 'rejected', '共享条件不明确'],
      [2, 'draft', null],
    ]);
    expect(versions[0]?.statusBy?.orgId).toBe(hubOrganisationId('350000'));
  });

  it('keeps the published version visible while a new draft is reviewed, then supersedes it', async () => {
    const code = resourceCode(3);
    await putEntry(hub, hub.tokens.officer, catalogEntry(3));
    await transition(hub, hub.tokens.officer, code, 'submit');
    await transition(hub, hub.tokens.admin, code, 'approve');
    const draft = await putEntry(hub, hub.tokens.officer, { ...catalogEntry(3), summary: '第二版摘要。' });
    expect(draft.json()).toMatchObject({ result: 'updated', version: 2, status: 'draft' });
    // The owner sees the draft, others the published version
    expect((await read(hub.tokens.officer, 3)).json()).toMatchObject({
      version: 2,
      status: 'draft',
      latestVersion: 2,
    });
    const outside = (await read(hub.tokens.consumer, 3)).json() as Record<string, unknown>;
    expect(outside).toMatchObject({ version: 1, status: 'published', publishedVersion: 1 });
    expect(outside.latestVersion).toBeUndefined();
    expect((await read(hub.tokens.consumer, 3, '?version=2')).statusCode).toBe(404);
    await transition(hub, hub.tokens.officer, code, 'submit');
    await transition(hub, hub.tokens.admin, code, 'approve');
    expect((await read(hub.tokens.consumer, 3)).json()).toMatchObject({
      version: 2,
      status: 'published',
      document: { summary: '第二版摘要。' },
    });
    expect((await read(hub.tokens.consumer, 3, '?version=1')).json()).toMatchObject({ status: 'superseded' });
    const versions = (await history(hub.tokens.consumer, 3)).items;
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'published'],
    ]);
    expect(versions[1]?.createdBy.orgId).toBe(department('GAT').id);
    expect(versions[1]?.statusBy?.orgId).toBe(hubOrganisationId('350000'));
  });

  it('withdraws a draft without touching the published version, and a published version on request', async () => {
    const code = resourceCode(4);
    await putEntry(hub, hub.tokens.officer, catalogEntry(4));
    await transition(hub, hub.tokens.officer, code, 'submit');
    await transition(hub, hub.tokens.admin, code, 'approve');
    await putEntry(hub, hub.tokens.officer, { ...catalogEntry(4), summary: '草稿。' });
    const pulled = await transition(hub, hub.tokens.officer, code, 'withdraw', { reason: '暂不更新' });
    expect(pulled.json()).toMatchObject({ version: 2, status: 'withdrawn' });
    expect((await read(hub.tokens.consumer, 4)).json()).toMatchObject({ version: 1, status: 'published' });
    // Another organisation's officer cannot withdraw it
    const foreign = await transition(hub, hub.tokens.otherOfficer, code, 'withdraw', { version: 1 });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ code: 'HUB_ERR_NOT_OWNER' });
    const offline = await transition(hub, hub.tokens.admin, code, 'withdraw', { reason: '数据停止提供' });
    expect(offline.json()).toMatchObject({ version: 1, status: 'withdrawn' });
    expect((await read(hub.tokens.consumer, 4)).statusCode).toBe(404);
    expect((await transition(hub, hub.tokens.admin, code, 'withdraw')).json()).toMatchObject({
      code: 'HUB_ERR_CONFLICT',
      currentStatus: 'withdrawn',
    });
    // The same content written again starts a new draft rather than staying withdrawn
    const again = await putEntry(hub, hub.tokens.officer, catalogEntry(4));
    expect(again.json()).toMatchObject({ result: 'updated', version: 3, status: 'draft' });
  });

  it('lets only the owner submit, only admins approve and reject, and checks If-Match on transitions', async () => {
    const code = resourceCode(5);
    const created = await putEntry(hub, hub.tokens.officer, catalogEntry(5));
    expect((await transition(hub, hub.tokens.otherOfficer, code, 'submit')).statusCode).toBe(403);
    expect((await transition(hub, hub.tokens.admin, code, 'submit')).statusCode).toBe(403);
    expect(
      (
        await transition(hub, hub.tokens.officer, code, 'submit', undefined, {
          'if-match': '"1-0000000000000000"',
        })
      ).statusCode,
    ).toBe(412);
    await transition(hub, hub.tokens.officer, code, 'submit', undefined, {
      'if-match': created.headers.etag as string,
    });
    expect((await transition(hub, hub.tokens.officer, code, 'approve')).statusCode).toBe(403);
    expect((await transition(hub, hub.tokens.reviewer, code, 'approve')).statusCode).toBe(403);
    expect((await transition(hub, hub.tokens.admin, resourceCode(999), 'approve')).statusCode).toBe(404);
  });

  it('shows unpublished resources only to the owner organisation, admins and auditors', async () => {
    await putEntry(hub, hub.tokens.officer, catalogEntry(6));
    for (const token of [hub.tokens.officer, hub.tokens.reviewer, hub.tokens.admin, hub.tokens.auditor]) {
      expect((await read(token, 6)).statusCode).toBe(200);
    }
    for (const token of [hub.tokens.otherOfficer, hub.tokens.consumer]) {
      const response = await read(token, 6);
      expect(response.statusCode).toBe(404);
      expect(
        (
          await hub.call(token, {
            method: 'GET',
            url: `/api/v1/catalog/resources/${encodedCode(6)}/versions`,
          })
        ).statusCode,
      ).toBe(404);
      const listed = await hub.call(token, { method: 'GET', url: '/api/v1/catalog/resources?limit=500' });
      const codes = (listed.json() as { items: { code: string; status: string }[] }).items;
      expect(codes.map((item) => item.code)).not.toContain(resourceCode(6));
      expect(codes.every((item) => item.status === 'published')).toBe(true);
    }
    const mine = await hub.call(hub.tokens.officer, {
      method: 'GET',
      url: '/api/v1/catalog/resources?status=draft&limit=500',
    });
    expect((mine.json() as { items: { code: string }[] }).items.map((item) => item.code)).toContain(
      resourceCode(6),
    );
  });
});
