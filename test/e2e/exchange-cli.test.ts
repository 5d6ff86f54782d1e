import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubOrganisationId } from '@minjiang/hub';
import { ExchangeClient, ExchangeLimitError, HubClient } from '@minjiang/sdk';
import { applyMasking, maskingPlan, readZip, writeZip, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { readGrantCredential, saveGrantCredential } from '../../packages/cli/src/share/grant-credentials.js';
import { assertSchema, startHub, type CliRun, type TestHub } from './cli-harness.js';
import {
  CODE,
  obtainGrant,
  partyCli,
  partyTokens,
  people,
  peopleCsv,
  publishResource,
  type IssuedGrant,
  type Party,
} from './exchange-harness.js';

const engines = ENGINES.map((engine) => ({
  name: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
  pg: engine === 'postgres',
}));
const API_ITEMS = ['公民身份号码', '姓名', '出生日期', '户籍地行政区划'];
const ROW_FILTER = '户籍地行政区划 = 350102';

interface ErrorJson {
  error: { code: string; exitCode: number; hint?: string; message: string };
}
interface QueryJson {
  rows: Record<string, string>[];
  fields: string[];
  masking: string;
  pages: number;
  complete: boolean;
  rateLimit: { remaining?: number };
}

describe.each(engines)(
  'exchange: share query | verify | download, audit export, built CLI, hub on $name',
  ({ pg }) => {
    const work = mkdtempSync(join(tmpdir(), 'minjiang-exchange-e2e-'));
    let hub: TestHub;
    let dropDb: (() => Promise<void>) | undefined;
    let tokens: Record<Party, string>;
    let resource: CatalogResource;
    const grants = {} as Record<'api' | 'verify' | 'pkg' | 'other', IssuedGrant>;
    const cli = partyCli(
      work,
      () => hub,
      new Proxy({} as Record<Party, string>, { get: (_t, p: Party) => tokens[p] }),
    );
    const errorOf = (run: CliRun) => (run.json as ErrorJson).error;
    const query = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      cli('consumer', ['share', 'query', grants.api.grant, ...args], env);
    const consumerStore = () => ({ configDir: join(work, 'consumer', 'config'), keychain: null });

    beforeAll(async () => {
      const database = pg ? await freshDatabase('postgres') : undefined;
      dropDb = database?.dispose;
      hub = await startHub(database?.databaseUrl ? { databaseUrl: database.databaseUrl } : {});
      const hubCode = (hub.server as unknown as { hub: { config: { hubCode: string } } }).hub.config.hubCode;
      tokens = await partyTokens(hub, hubOrganisationId(hubCode));
      resource = await publishResource(hub, tokens);
      writeFileSync(join(work, 'people.csv'), peopleCsv());
      const submitted = await cli('provider', [
        'data',
        'submit',
        join(work, 'people.csv'),
        '--resource',
        CODE,
        '--json',
      ]);
      expect(submitted.status, submitted.stdout + submitted.stderr).toBe(0);
      grants.api = await obtainGrant(cli, work, 'consumer', {
        items: API_ITEMS,
        mode: 'API',
        perDay: 14,
        rowFilter: ROW_FILTER,
      });
      grants.verify = await obtainGrant(cli, work, 'consumer', {
        items: ['公民身份号码', '姓名'],
        mode: 'VERIFY',
        perDay: 50,
      });
      const pkgTerms = {
        items: ['公民身份号码', '姓名', '户籍地行政区划'],
        mode: 'PACKAGE' as const,
        perDay: 10,
      };
      grants.pkg = await obtainGrant(cli, work, 'consumer', { ...pkgTerms, rowFilter: ROW_FILTER });
      grants.other = await obtainGrant(cli, work, 'other', { items: API_ITEMS, mode: 'API', perDay: 10 });
    }, 240_000);

    afterAll(async () => {
      await hub?.close();
      await dropDb?.();
      rmSync(work, { recursive: true, force: true });
    });

    it('a granted query returns the filtered rows, masked by MP-STD-01, and only granted fields', async () => {
      const run = await query(['--json']);
      expect(run.status, run.stderr).toBe(0);
      assertSchema('share-query', run.json);
      const result = run.json as QueryJson;
      const items = (resource.items ?? []).filter((item) => API_ITEMS.includes(item.name));
      const plan = maskingPlan('MP-STD-01', items);
      const expected = people()
        .filter((row) => row['户籍地行政区划'] === '350102')
        .map((row) =>
          applyMasking(plan, Object.fromEntries(items.map((i) => [i.technicalName!, row[i.name]!]))),
        );
      expect(result).toMatchObject({
        masking: 'MP-STD-01',
        fields: ['GMSFHM', 'XM', 'CSRQ', 'HJDXZQH'],
        complete: true,
      });
      expect(result.rows).toEqual(expect.arrayContaining(expected));
      expect(result.rows).toHaveLength(4);
      // Masked for real: no full resident ID and no full name leaves the hub.
      const text = JSON.stringify(result.rows);
      for (const person of people()) {
        expect(text).not.toContain(person['公民身份号码']);
        expect(text).not.toContain(person['姓名']);
      }
      const csv = await query(['--fields', 'XM,HJDXZQH', '--format', 'csv']);
      expect(csv.status, csv.stderr).toBe(0);
      expect(csv.stdout.split('\n')[0]).toBe('XM,HJDXZQH');
      expect(csv.stderr).toMatch(/4 行（1 页），脱敏规则 MP-STD-01；今日剩余 \d+ 次/);
      const all = await query(['--all', '--limit', '3', '--json']);
      expect(all.json).toMatchObject({ pages: 2, complete: true });
      expect((all.json as QueryJson).rows).toEqual(expect.arrayContaining(expected));
    }, 60_000);

    it('rows outside the row filter are never returned, even when asked for by key', async () => {
      const outside = people().find((row) => row['户籍地行政区划'] === '350103')!;
      const byRegion = await query(['--where', 'HJDXZQH=350103', '--json']);
      expect(byRegion.status, byRegion.stderr).toBe(0);
      expect((byRegion.json as QueryJson).rows).toEqual([]);
      const byKey = await query(['--where', `GMSFHM=${outside['公民身份号码']}`, '--json']);
      expect((byKey.json as QueryJson).rows).toEqual([]);
    }, 60_000);

    it('a field not granted is refused, in the projection and in a condition (exit 3)', async () => {
      for (const args of [
        ['--fields', 'XM,XB'],
        ['--where', 'XB=1'],
      ]) {
        const run = await query([...args, '--json']);
        expect(run.status, run.stdout).toBe(3);
        assertSchema('error', run.json);
        expect(errorOf(run)).toMatchObject({ code: 'HUB.FIELD_NOT_GRANTED', exitCode: 3 });
      }
      const en = await query(['--fields', 'XB', '--lang', 'en']);
      expect(en.stderr).toMatch(/HUB\.FIELD_NOT_GRANTED/);
      expect(en.stderr).toMatch(/Only granted fields/);
    }, 60_000);

    it('a wrong secret and another client’s grant are refused (exit 3)', async () => {
      const wrong = await query(['--json'], {
        MINJIANG_APP_KEY: grants.api.appKey,
        MINJIANG_APP_SECRET: 'not-the-secret',
      });
      expect(wrong.status).toBe(3);
      expect(errorOf(wrong).code).toBe('CLI.SIG_INVALID');
      const none = await cli('consumer', ['share', 'query', 'urn:ses:grant:350000:2026:99', '--json']);
      expect(none.status).toBe(3);
      expect(errorOf(none).code).toBe('NO-GRANT-CREDENTIAL');

      // The other department's grant, claimed with our own key, and with its key (as if leaked) by us.
      const theirs = (await readGrantCredential(grants.other.grant, hub.address, {
        configDir: join(work, 'other', 'config'),
        keychain: null,
      }))!;
      const ours = (await readGrantCredential(grants.api.grant, hub.address, consumerStore()))!;
      for (const key of [ours, theirs]) {
        const claim = { ...theirs, client: ours.client, appKey: key.appKey, secret: key.secret };
        await saveGrantCredential(claim, consumerStore());
        const run = await cli('consumer', ['share', 'query', grants.other.grant, '--json']);
        expect(run.status, run.stdout).toBe(3);
        expect(errorOf(run).code).toBe('HUB.GRANT_NONE');
      }
      const theirRun = await cli('other', ['share', 'query', grants.other.grant, '--json']);
      expect(theirRun.status, theirRun.stderr).toBe(0);
      expect((theirRun.json as QueryJson).rows).toHaveLength(6);
    }, 60_000);

    it('verification: a verdict per subject, never a value; exit 1 unless every subject matches', async () => {
      const [first, second] = people();
      const file = join(work, 'consumer', 'subjects.csv');
      writeFileSync(
        file,
        `ref,GMSFHM,XM\na,${first!['公民身份号码']},${first!['姓名']}\nb,${second!['公民身份号码']},错名\nc,350102199901019999,张三\n`,
      );
      const run = await cli('consumer', ['share', 'verify', grants.verify.grant, '--file', file, '--json']);
      expect(run.status, run.stderr).toBe(1);
      assertSchema('share-verify', run.json);
      const result = run.json as { summary: object; results: { ref: string; verdict: string }[] };
      expect(result.summary).toEqual({ subjects: 3, match: 1, mismatch: 1, notFound: 1 });
      expect(result.results.map((r) => [r.ref, r.verdict])).toEqual([
        ['a', 'MATCH'],
        ['b', 'MISMATCH'],
        ['c', 'NOT_FOUND'],
      ]);
      expect(run.stdout).not.toContain(second!['姓名']);
      const json = join(work, 'consumer', 'subjects.json');
      writeFileSync(json, JSON.stringify([{ GMSFHM: first!['公民身份号码'], XM: first!['姓名'] }]));
      const matched = await cli('consumer', ['share', 'verify', grants.verify.grant, '--file', json]);
      expect(matched.status, matched.stderr).toBe(0);
      expect(matched.stdout).toMatch(/^1 {2}MATCH {2}GMSFHM=MATCH XM=MATCH$/m);
    }, 60_000);

    it('downloads the package, verifies it and sends the receipt; a tampered copy fails package verify', async () => {
      const run = await cli('consumer', [
        'share',
        'download',
        grants.pkg.grant,
        '--out',
        'packages',
        '--json',
      ]);
      expect(run.status, run.stdout + run.stderr).toBe(0);
      assertSchema('share-download', run.json);
      const result = run.json as {
        file: string;
        digest: string;
        package: { digest: string; rows: number };
        receipt: object;
        verification: { ok: boolean; rows: number };
      };
      expect(result.digest).toBe(result.package.digest);
      expect(result.verification).toMatchObject({ ok: true, rows: 4, grant: grants.pkg.grant });
      expect(result.receipt).toMatchObject({ status: 'completed' });
      const good = await cli('consumer', ['package', 'verify', result.file, '--hub-key', '--json']);
      expect(good.status, good.stdout).toBe(0);

      const members = readZip(readFileSync(result.file)).map((entry) =>
        entry.name.endsWith('.csv') && entry.name.includes('/data/')
          ? { name: entry.name, data: Buffer.from(entry.data.toString('utf8').replace('350102', '350103')) }
          : { name: entry.name, data: entry.data },
      );
      const tampered = join(work, 'consumer', 'tampered.ses.zip');
      copyFileSync(result.file, `${tampered}.orig`);
      writeFileSync(tampered, writeZip(members, new Date()));
      const bad = await cli('consumer', ['package', 'verify', tampered, '--hub-key', '--json']);
      expect(bad.status, bad.stdout).toBe(1);
      expect((bad.json as { failures: { code: string }[] }).failures.length).toBeGreaterThan(0);
    }, 60_000);

    it('a used-up daily quota is refused with exit 5 and Retry-After; suspension and revocation with exit 3', async () => {
      const saved = (await readGrantCredential(grants.api.grant, hub.address, consumerStore()))!;
      const sdk = new ExchangeClient({ baseURL: hub.address, ...saved });
      let limited: unknown;
      for (let n = 0; n < 20 && !limited; n += 1)
        limited = await sdk.query({ limit: 1 }).then(
          () => undefined,
          (e: unknown) => e,
        );
      await sdk.close();
      expect(limited).toBeInstanceOf(ExchangeLimitError);
      const used = await query(['--json']);
      expect(used.status, used.stdout).toBe(5);
      expect(errorOf(used)).toMatchObject({ code: 'HUB.QUOTA_EXCEEDED', exitCode: 5 });
      expect(errorOf(used).hint).toMatch(/Retry-After: \d+/);
      const text = await query([]);
      expect(text.stderr).toMatch(/今日调用配额已用完：\d+ 秒（Retry-After）后再调用/);

      const { application } = grants.api;
      const suspended = await cli('reviewer', [
        'share',
        'suspend',
        application,
        '--reason',
        '调用量异常，暂停核查',
        '--json',
      ]);
      expect(suspended.status, suspended.stderr).toBe(0);
      const whileSuspended = await query(['--json']);
      expect(whileSuspended.status).toBe(3);
      expect(errorOf(whileSuspended).code).toBe('HUB.GRANT_SUSPENDED');
      expect((await cli('reviewer', ['share', 'resume', application, '--json'])).status).toBe(0);
      expect(errorOf(await query(['--json'])).code).toBe('HUB.QUOTA_EXCEEDED');
      const revoked = await cli('admin', [
        'share',
        'revoke',
        application,
        '--reason',
        '超范围使用数据',
        '--json',
      ]);
      expect(revoked.status, revoked.stderr).toBe(0);
      const afterRevoke = await query(['--json']);
      expect(afterRevoke.status).toBe(3);
      expect(errorOf(afterRevoke).code).toBe('HUB.GRANT_EXPIRED');
    }, 90_000);

    it('audit export + audit verify pass; after one entry is modified in the database, verify fails at it', async () => {
      const { publicKey } = await new HubClient({ baseURL: hub.address, token: tokens.admin }).hubKey();
      const exported = await cli('auditor', ['audit', 'export', '--out', 'audit.jsonl', '--json']);
      expect(exported.status, exported.stderr).toBe(0);
      assertSchema('audit-export', exported.json);
      const file = (exported.json as { file: string; entries: number }).file;
      expect(readFileSync(file, 'utf8')).toContain('api.call');
      const ok = await cli('auditor', ['audit', 'verify', file, '--public-key', publicKey, '--json']);
      expect(ok.status, ok.stdout).toBe(0);
      expect(ok.json).toMatchObject({ ok: true, publicKeyChecked: true });
      expect((await cli('consumer', ['audit', 'export', '--json'])).status).toBe(3);

      const db = (hub.server as unknown as { hub: { store: { db: AuditDb } } }).hub.store.db;
      const rows = await db.selectFrom('audit_entries').select(['seq', 'leaf']).orderBy('seq').execute();
      const target = rows.find(
        (row) => row.leaf.includes('"type":"api.call"') && row.leaf.includes('"result":"success"'),
      )!;
      const changed = target.leaf.replace('"result":"success"', '"result":"failure"');
      await db.updateTable('audit_entries').set({ leaf: changed }).where('seq', '=', target.seq).execute();
      const again = await cli('auditor', ['audit', 'export', '--out', 'audit-2.jsonl', '--json']);
      const bad = await cli('auditor', [
        'audit',
        'verify',
        (again.json as { file: string }).file,
        '--public-key',
        publicKey,
      ]);
      expect(bad.status, bad.stdout).toBe(1);
      expect(bad.stdout).toContain(`第 ${Number(target.seq)} 条失败`);
    }, 60_000);
  },
);

/** The slice of the hub's Kysely database the tampering needs. */
interface AuditDb {
  selectFrom(table: 'audit_entries'): {
    select(columns: ['seq', 'leaf']): {
      orderBy(column: 'seq'): { execute(): Promise<{ seq: number; leaf: string }[]> };
    };
  };
  updateTable(table: 'audit_entries'): {
    set(values: { leaf: string }): {
      where(column: 'seq', op: '=', value: number): { execute(): Promise<unknown> };
    };
  };
}
