import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memberId } from '@minjiang/hub';
import { HubClient, readCatalogFile } from '@minjiang/sdk';
import { codeTable, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { assertSchema, runCli, startHub, type CliRun, type TestHub } from './cli-harness.js';

const CATALOG = fileURLToPath(new URL('../../fixtures/catalogs/fujian-province.yaml', import.meta.url));
const GAT_USCC = String(codeTable('fujian-departments').data.find((row) => row.code === 'GAT')?.uscc);
const PROVIDER = memberId('350000', GAT_USCC);
const CODE = '3350010001/000001';

/** What the applicant (福州市市场监督管理局) asks of 公安厅's 常住人口基本信息 (有条件共享). */
const APPLICATION = `resourceCode: ${CODE}
items: [姓名, 性别, 户籍地址, 户籍地行政区划]
purposeCode: '0101'
purpose: 办理经营者登记时核验经营者户籍信息
scenario: { class: 政务服务, description: 个体工商户登记受理时核验经营者户籍 }
legalBasis: 《促进个体工商户发展条例》第十条
mode: API
period: { from: '2026-12-01', to: '2027-11-30' }
expectedVolume: { perDay: 1000 }
contact: { name: 郭伟, phone: 0591-83361234 }
securityCommitment: { accepted: true, text: 严格按照批准用途使用数据，不批量留存。 }
`;

type Role = 'admin' | 'applicant' | 'reviewer' | 'providerOfficer';

interface AppJson {
  id: string;
  state: string;
  grant?: string;
  offer?: { id: string; digest: string; items: string[] };
  next: {
    party: string;
    role: string | null;
    org: string | null;
    actions: string[];
    deadline: string | null;
  };
  history: { action: string }[];
}
interface ErrorJson {
  error: { code: string; exitCode: number };
}

const engines = ENGINES.map((engine) => ({
  name: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
  pg: engine === 'postgres',
}));

describe.each(engines)('share: applications, grants and credentials, built CLI, hub on $name', ({ pg }) => {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-share-e2e-'));
  const file = join(work, '申请.yaml');
  let hub: TestHub;
  let dropDb: (() => Promise<void>) | undefined;
  const tokens = {} as Record<Role, string>;
  /** The application walked from filing to an active grant, step by step. */
  const walk = { id: '', grant: '', offered: undefined as AppJson | undefined };

  const cli = (role: Role, args: string[]): Promise<CliRun> =>
    runCli(args, {
      cwd: work,
      env: {
        MINJIANG_HUB: hub.address,
        MINJIANG_TOKEN: tokens[role],
        MINJIANG_CONFIG_DIR: join(work, 'config'),
      },
    });
  const app = (run: CliRun) => run.json as AppJson;
  const errorOf = (run: CliRun) => (run.json as ErrorJson).error;
  const apply = async (...extra: string[]) => {
    const run = await cli('applicant', ['share', 'apply', '--file', file, '--json', ...extra]);
    expect(run.status, run.stderr).toBe(0);
    return app(run);
  };

  beforeAll(async () => {
    const database = pg ? await freshDatabase('postgres') : undefined;
    dropDb = database?.dispose;
    hub = await startHub(database?.databaseUrl ? { databaseUrl: database.databaseUrl } : {});
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    const token = async (roles: string[]) =>
      (
        await admin.transport.request<{ token: string }>({
          method: 'POST',
          path: '/api/v1/tokens',
          body: { orgId: PROVIDER, name: `share e2e ${roles.join()}`, roles },
        })
      ).data.token;
    Object.assign(tokens, {
      admin: hub.adminToken,
      applicant: hub.officerToken,
      reviewer: await token(['reviewer']),
      providerOfficer: await token(['officer']),
    });
    // The provider publishes the resource, with 曾用名 marked 不予共享 (never granted).
    const catalog = await readCatalogFile(CATALOG);
    const resource = structuredClone((catalog.resources as CatalogResource[]).find((r) => r.code === CODE)!);
    const former = resource.items?.find((item) => item.name === '曾用名') as Record<string, unknown>;
    Object.assign(former, { shareType: '不予共享', shareCondition: '曾用名涉及个人隐私，不予共享' });
    const officer = new HubClient({ baseURL: hub.address, token: tokens.providerOfficer });
    await officer.putResource(resource);
    await officer.submitResource(CODE);
    await admin.approveResource(CODE);
    await Promise.all([officer.close(), admin.close()]);
    writeFileSync(file, APPLICATION);
  }, 60_000);

  afterAll(async () => {
    await hub?.close();
    await dropDb?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('files an application; status names the platform (主管部门) and its deadline in China time', async () => {
    const filed = await apply();
    walk.id = filed.id;
    expect(filed.state).toBe('PRECHECK');
    expect(filed.next).toMatchObject({ party: 'platform', role: 'admin' });

    const status = await cli('applicant', ['share', 'status', filed.id, '--json']);
    assertSchema('share-status', status.json);
    expect(status.json).toMatchObject({ state: 'PRECHECK', next: { party: 'platform', overdue: false } });
    const text = await cli('applicant', ['share', 'status', filed.id, '--lang', 'en']);
    expect(text.stdout).toMatch(/next: the platform \(主管部门\)/);
    expect(text.stdout).toMatch(/deadline: \d{4}-\d{2}-\d{2} 23:59 China time, .* left/);
  }, 60_000);

  it('precheck passes it to the provider; a wrong role is refused (exit 3); the provider offers fewer items', async () => {
    const { id } = walk;
    // 有条件共享: the platform's precheck passes it on to the provider.
    const prechecked = await cli('admin', ['share', 'review', id, 'approve', '--json']);
    expect(prechecked.status, prechecked.stderr).toBe(0);
    assertSchema('share-review', prechecked.json);
    expect(app(prechecked).next).toMatchObject({ party: 'provider', role: 'reviewer', org: PROVIDER });
    expect(app(prechecked).state).toBe('PROVIDER_REVIEW');
    const zh = await cli('applicant', ['share', 'status', id]);
    expect(zh.stdout).toContain(`下一步：提供方 ${PROVIDER} 的审核员处理`);

    // The applicant's officer cannot review (a role the route does not take): exit 3.
    const wrongRole = await cli('applicant', ['share', 'review', id, 'offer', '--per-day', '10', '--json']);
    expect(wrongRole.status, wrongRole.stdout).toBe(3);
    assertSchema('error', wrongRole.json);
    expect(errorOf(wrongRole).code).toBe('HUB_ERR_FORBIDDEN');

    const offered = await cli('reviewer', [
      'share',
      'review',
      id,
      'offer',
      '--items',
      '姓名,户籍地行政区划',
      '--per-day',
      '500',
      '--json',
    ]);
    expect(offered.status, offered.stdout + offered.stderr).toBe(0);
    expect(app(offered)).toMatchObject({ state: 'OFFERED', offer: { items: ['姓名', '户籍地行政区划'] } });
    expect(app(offered).next.party).toBe('applicant');
    expect(app(offered).next.actions).toContain('accept');

    walk.offered = app(offered);
  }, 90_000);

  it('the applicant accepts the offer it read; a step not allowed now is refused (409, exit 1)', async () => {
    const { id } = walk;
    // Escalating is not possible while an offer is open: the hub's 409, exit 1.
    const early = await cli('applicant', ['share', 'escalate', id, '--reason', '要全部信息项', '--json']);
    expect(early.status).toBe(1);
    expect(errorOf(early).code).toBe('HUB_ERR_WORKFLOW_STATE');

    const accepted = await cli('applicant', ['share', 'accept', id, '--json']);
    expect(accepted.status, accepted.stdout + accepted.stderr).toBe(0);
    assertSchema('share-accept', accepted.json);
    const offer = walk.offered!.offer!;
    expect(accepted.stderr).toContain(offer.id);
    expect(accepted.stderr).toContain(offer.digest);
    expect(app(accepted).state).toBe('APPROVED');
    walk.grant = app(accepted).grant!;
    expect(walk.grant).toMatch(/^urn:ses:grant:/);
  }, 60_000);

  it('credentials: verified grant, the secret printed once; a second issue is refused', async () => {
    const { id, grant } = walk;

    const issued = await cli('applicant', ['share', 'credentials', id, '--json']);
    expect(issued.status, issued.stdout + issued.stderr).toBe(0);
    assertSchema('share-credentials', issued.json);
    const result = issued.json as {
      grant: { verified: boolean; pinned: string; items: string[] };
      issued: { appKey: string; secret: string };
    };
    expect(result.grant).toMatchObject({ verified: true, pinned: 'new', items: ['姓名', '户籍地行政区划'] });
    expect(result.issued.secret.length).toBeGreaterThan(8);
    expect(issued.stderr).not.toContain(result.issued.secret);
    expect(issued.stderr).toMatch(/密钥只显示这一次/);
    expect(existsSync(join(work, '.minjiang'))).toBe(true);

    const again = await cli('applicant', ['share', 'credentials', grant, '--json']);
    expect(again.status).toBe(1);
    expect(errorOf(again).code).toBe('HUB_ERR_CREDENTIAL_EXISTS');
    expect(again.stdout + again.stderr).not.toContain(result.issued.secret);

    const listed = await cli('applicant', ['share', 'credentials', grant, '--list', '--json']);
    assertSchema('share-credentials', listed.json);
    expect((listed.json as { credentials: { appKey: string; status: string }[] }).credentials).toEqual([
      expect.objectContaining({ appKey: result.issued.appKey, status: 'active' }),
    ]);
  }, 60_000);

  it('share wait exits 0 once approved; show and list carry it', async () => {
    const { id } = walk;
    const waited = await cli('applicant', ['share', 'wait', id, '--timeout', '10s', '--json']);
    expect(waited.status, waited.stderr).toBe(0);
    assertSchema('share-wait', waited.json);
    expect(waited.json).toMatchObject({ outcome: 'approved', status: { state: 'ACTIVE' } });

    const shown = await cli('reviewer', ['share', 'show', id, '--json']);
    assertSchema('share-show', shown.json);
    expect(app(shown).history.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['submit', 'approve', 'offer', 'accept']),
    );
    const document = await cli('applicant', ['share', 'show', id, '--document', '--json']);
    assertSchema('share-show', document.json);
    expect(document.json).toMatchObject({ id, resourceCode: CODE });
    const text = await cli('applicant', ['share', 'show', id, '--lang', 'en']);
    expect(text.stdout).toMatch(/offer \S+ \(digest sm3:[0-9a-f]{64}\): items 姓名, 户籍地行政区划/);
    const mine = await cli('reviewer', ['share', 'list', '--as', 'provider', '--json']);
    assertSchema('share-list', mine.json);
    expect((mine.json as { items: AppJson[] }).items.map((item) => item.id)).toContain(id);
  }, 60_000);

  it('rotates a credential: the new secret once, the old credential revoked', async () => {
    const { grant } = walk;
    const rotated = await cli('applicant', ['share', 'credentials', grant, '--rotate', '--json']);
    expect(rotated.status, rotated.stdout + rotated.stderr).toBe(0);
    expect(rotated.json).toMatchObject({ action: 'rotate', grant: { pinned: 'match' } });
    const listed = await cli('applicant', ['share', 'credentials', grant, '--list', '--json']);
    const states = (listed.json as { credentials: { status: string }[] }).credentials.map((c) => c.status);
    expect(states.sort()).toEqual(['active', 'revoked']);
  }, 60_000);

  it('the provider suspends and resumes, the platform revokes: credentials refused meanwhile; wait exits 1', async () => {
    const { id, grant } = walk;
    expect((await cli('reviewer', ['share', 'suspend', id, '--json'])).status).toBe(2);
    const suspended = await cli('reviewer', [
      'share',
      'suspend',
      id,
      '--reason',
      '调用量异常，暂停核查',
      '--json',
    ]);
    expect(suspended.status, suspended.stderr).toBe(0);
    assertSchema('share-suspend', suspended.json);
    expect(app(suspended)).toMatchObject({ state: 'SUSPENDED', next: { party: 'provider' } });
    const inactive = await cli('applicant', ['share', 'credentials', grant, '--rotate', '--json']);
    expect(inactive.status).toBe(1);
    expect(errorOf(inactive).code).toBe('HUB_ERR_GRANT_INACTIVE');
    const resumed = await cli('reviewer', ['share', 'resume', id, '--expected-state', 'SUSPENDED', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(app(resumed).state).toBe('ACTIVE');
    const revoked = await cli('admin', ['share', 'revoke', id, '--reason', '超范围使用数据', '--json']);
    assertSchema('share-revoke', revoked.json);
    expect(app(revoked)).toMatchObject({ state: 'REVOKED', next: { party: 'nobody' } });
    const waited = await cli('applicant', ['share', 'wait', id, '--timeout', '2s', '--json']);
    expect(waited.status).toBe(1);
    expect(waited.json).toMatchObject({ outcome: 'refused', status: { state: 'REVOKED' } });
  }, 90_000);

  it('a rejection needs a reason (exit 2 at the CLI, 422 at the hub); once rejected, share wait exits 1', async () => {
    const filed = await apply();
    const bare = await cli('admin', ['share', 'review', filed.id, 'reject', '--json']);
    expect(bare.status).toBe(2);
    expect(errorOf(bare).code).toBe('SHARE-REASON-REQUIRED');
    const admin = new HubClient({ baseURL: hub.address, token: tokens.admin });
    await expect(admin.sharing.reject(filed.id, { reason: '  ' })).rejects.toMatchObject({
      status: 422,
      code: 'HUB_ERR_REASON_REQUIRED',
    });
    await admin.close();

    const reject = ['share', 'review', filed.id, 'reject', '--reason', '用途与共享条件不符'];
    const rejected = await cli('admin', [...reject, '--message-id', `reject-${filed.id}`, '--json']);
    expect(rejected.status, rejected.stderr).toBe(0);
    expect(app(rejected)).toMatchObject({ state: 'REJECTED', next: { party: 'applicant' } });
    // A script's retry with the same message id is answered, not recorded again (nor refused).
    const retried = await cli('admin', [...reject, '--message-id', `reject-${filed.id}`, '--json']);
    expect(retried.status, retried.stderr).toBe(0);
    expect(app(retried).history).toHaveLength(app(rejected).history.length);
    const waited = await cli('applicant', ['share', 'wait', filed.id, '--timeout', '5s', '--json']);
    expect(waited.status).toBe(1);
    assertSchema('share-wait', waited.json);
    expect(waited.json).toMatchObject({ outcome: 'refused', status: { reason: '用途与共享条件不符' } });
    const noGrant = await cli('applicant', ['share', 'credentials', filed.id, '--json']);
    expect(noGrant.status).toBe(1);
    expect(noGrant.json).toMatchObject({ action: 'none', grant: null });
  }, 90_000);

  it('share wait --timeout 1s on a pending application exits 7; the applicant may still withdraw it', async () => {
    const filed = await apply();
    const waited = await cli('applicant', [
      'share',
      'wait',
      filed.id,
      '--timeout',
      '1s',
      '--interval',
      '200ms',
      '--json',
    ]);
    expect(waited.status, waited.stderr).toBe(7);
    assertSchema('share-wait', waited.json);
    expect(waited.json).toMatchObject({ outcome: 'pending', status: { state: 'PRECHECK' } });
    const credentials = await cli('applicant', ['share', 'credentials', filed.id, '--json']);
    expect(credentials.status).toBe(7);
    // The provider's reviewer is the right role for reviews, but not at PRECHECK: the platform's turn.
    const notYet = await cli('reviewer', ['share', 'review', filed.id, 'approve', '--json']);
    expect(notYet.status, notYet.stdout).toBe(3);
    const withdrawn = await cli('applicant', ['share', 'withdraw', filed.id, '--json']);
    expect(withdrawn.status, withdrawn.stderr).toBe(0);
    assertSchema('share-withdraw', withdrawn.json);
    expect(app(withdrawn)).toMatchObject({ state: 'WITHDRAWN', next: { party: 'nobody' } });
  }, 60_000);

  it('refuses items marked 不予共享 and a draft that lacks fields', async () => {
    const barred = await cli('applicant', [
      'share',
      'apply',
      '--file',
      file,
      '--items',
      '姓名,曾用名',
      '--json',
    ]);
    expect(barred.status).toBe(1);
    assertSchema('error', barred.json);
    expect(errorOf(barred).code).toBe('HUB_ERR_ITEM_NOT_SHAREABLE');
    const partial = await cli('applicant', ['share', 'apply', '--resource', CODE, '--json', '--lang', 'en']);
    expect(partial.status).toBe(2);
    expect(errorOf(partial).code).toBe('SHARE-APPLY-INCOMPLETE');
    const draft = await apply('--draft');
    expect(draft.state).toBe('DRAFT');
    const submitted = await cli('applicant', ['share', 'submit', draft.id, '--json']);
    expect(submitted.status, submitted.stderr).toBe(0);
    expect(app(submitted).state).toBe('PRECHECK');
    expect(readFileSync(file, 'utf8')).toContain(CODE);
  }, 60_000);
});
