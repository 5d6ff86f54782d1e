import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../../scripts/demo.js', import.meta.url));

describe('pnpm demo (the README’s main job)', () => {
  it('validates the catalogs, registers the province catalog at an embedded hub, then runs a department’s day with the CLI, catalog, data, a sharing application, the exchange and a cascaded city hub', () => {
    const run = spawnSync(process.execPath, [DEMO], {
      encoding: 'utf8',
      env: { ...process.env, MINJIANG_DATABASE_URL: '' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('共 39 个资源：39 个通过，0 个错误，0 个警告');
    expect(run.stdout).toContain('共 6 个资源：1 个通过，7 个错误，0 个警告');
    expect(run.stdout).toMatch(/新建 39，更新 0，未变 0，失败 0；提交审核 39/);
    expect(run.stdout).toMatch(/再次登记同一目录：新建 0，更新 0，未变 39/);
    expect(run.stdout).toMatch(/回执离线验签（SM2）：(\d+)\/\1 通过/);
    expect(run.stdout).toMatch(/检索“户籍”：[1-9]\d* 个已发布资源/);
    // The CLI part: the Excel catalog through validate → fix → validate → plan → apply → apply → pull.
    const cli = run.stdout.slice(run.stdout.indexOf('数据专员的一天'));
    expect(cli).toMatch(/\$ minjiang catalog validate 目录\.xlsx {4}# exit 1/);
    expect(cli).toMatch(/\$ minjiang catalog fix 目录\.xlsx {4}# exit 0/);
    expect(cli).toContain('1 个文件，5 个资源：5 个通过，0 个错误，0 个警告');
    expect(cli).toContain('计划：新建 5，更新 0，未变 0');
    expect(cli).toContain('新建 5，更新 0，未变 0，撤回 0，失败 0，跳过 0；提交审核 5');
    expect(cli).toContain('新建 0，更新 0，未变 5，撤回 0，失败 0，跳过 0；提交审核 0');
    expect(cli).toMatch(/的 5 个资源写入 catalog（yaml-dir）/);
    // The data part: submit with 8 known bad rows → ticket → fix sheet → corrections → closed.
    const data = run.stdout.slice(run.stdout.indexOf('数据汇聚与问题数据纠错'));
    expect(data).toMatch(/\$ minjiang data validate 常住人口\.csv --resource 3350010001\/000001 {4}# exit 1/);
    expect(data).toMatch(/\$ minjiang data submit 常住人口\.csv --resource 3350010001\/000001 {4}# exit 1/);
    expect(data).toMatch(/T-\d{4}-1 {2}open {2}submission {2}3350010001\/000001 {2}待更正 8\/8/);
    expect(data).toContain('发送 8 条更正，通过 8，未通过 0；工单状态 closed，待更正 0 条');
    const scores = [...data.matchAll(/质量分 ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(scores).toHaveLength(2);
    expect(scores[1]).toBeGreaterThan(scores[0] ?? 100);
    // The sharing part: apply → precheck → narrower offer → accept → grant → credentials.
    const share = run.stdout.slice(run.stdout.indexOf('共享申请与授权'));
    expect(share).toMatch(/\$ minjiang share review urn:ses:app:350000:\d{4}:1 offer .* {4}# exit 0/);
    expect(share).toMatch(/\$ minjiang share wait urn:ses:app:350000:\d{4}:1 --timeout 10s {4}# exit 0/);
    expect(share).toMatch(/提供方条件 offer-[0-9a-f]{12}.*信息项 公民身份号码、姓名；/);
    expect(share).toMatch(/授权：urn:ses:grant:350000:\d{4}:1/);
    expect(share).toMatch(/appKey: ak_[0-9a-f]{20}/);
    expect(share).toMatch(/activate {2}APPROVED → ACTIVE/);
    // The exchange part: masked query, a field not granted refused, 核验, a package, the audit log.
    const exchange = run.stdout.slice(run.stdout.indexOf('共享交换'));
    expect(exchange).toMatch(
      /--where GMSFHM=350104198008068972 {4}# exit 0\n {2}GMSFHM\tXM\n {2}350104\*{8}8972\t林\*\*/,
    );
    expect(exchange).toMatch(/--fields XB {4}# exit 3[\s\S]*HUB\.FIELD_NOT_GRANTED/);
    expect(exchange).toContain('核验 2 个对象：一致 1，不一致 1，未找到 0');
    expect(exchange).toMatch(/数据包 urn:ses:pkg:350000:\d{4}:1 已下载到 .*：22 行.*已回执（completed）/);
    expect(exchange).toMatch(/\$ minjiang audit verify 审计日志\.jsonl {4}# exit 0\n {2}✔/);
    // The cascade part: Fuzhou registers (7, pending), is approved, publishes; syncs bring the entry, then its tombstone.
    const cascade = run.stdout.slice(run.stdout.indexOf('市级平台级联'));
    expect(cascade).toMatch(/\$ minjiang cascade register --name 福州市公共数据平台 .* {4}# exit 7/);
    expect(cascade).toMatch(
      /\$ minjiang cascade children 350100 --approve {4}# exit 0\n {2}350100 {2}福州市公共数据平台 {2}\[APPROVED\]/,
    );
    expect(cascade).toMatch(/上级平台 350000 {2}\[APPROVED\]/);
    expect(cascade).toContain('共匹配 1 项：通过 1，驳回 0，失败 0');
    expect(cascade).toMatch(/新增 1，更新 0，删除 0.*游标 0 → 1/);
    expect(cascade).toMatch(/联邦目录条目 3350050101\/000001 福州市食品经营许可信息：来源 350100，live v1/);
    expect(cascade).toMatch(/新增 0，更新 0，删除 1.*游标 1 → 2/);
    expect(cascade).toMatch(
      /联邦目录条目 3350050101\/000001 福州市食品经营许可信息：来源 350100，tombstone v2/,
    );
  }, 420_000);
});
