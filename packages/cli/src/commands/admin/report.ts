import { access } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import {
  BadRequestError,
  fetchAssessment,
  isAssessmentDate,
  isAssessmentPeriod,
  writeAssessmentReport,
  type AssessmentFormat,
  type AssessmentQuery,
  type AssessmentReport,
  type HubClient,
} from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { UsageError } from '../../exit-codes.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

/** What `--json` prints once a file is written (with `--format json` and no --out: the report itself). */
export interface AdminReportWritten {
  format: AssessmentFormat;
  path: string;
  period: AssessmentReport['period'];
  generatedAt: string;
  digest: string;
  organisations: { rank: number; id: string; name: string; total: number }[];
}

export type AdminReportResult = AssessmentReport | AdminReportWritten;

const TEXT = {
  which: {
    'zh-CN': '请给出 --period，或同时给出 --from 和 --to（二者不能同时使用）',
    en: 'give --period, or both --from and --to (not both kinds)',
  },
  period: { 'zh-CN': '考核周期“{value}”的格式不正确', en: 'the period "{value}" is not in a known form' },
  date: { 'zh-CN': '日期“{value}”应为 YYYY-MM-DD', en: 'the date "{value}" should be YYYY-MM-DD' },
  hint: {
    'zh-CN':
      '用年（2026）、季度（2026-Q4）、月份（2026-11），或 --from 2026-10-01 --to 2026-12-31（北京时间，含首尾两天）。',
    en: 'Use a year (2026), a quarter (2026-Q4), a month (2026-11), or --from 2026-10-01 --to 2026-12-31 (China time, both days included).',
  },
  exists: { 'zh-CN': '{path} 已存在', en: '{path} already exists' },
  existsHint: { 'zh-CN': '换一个 --out，或加 --force 覆盖。', en: 'Choose another --out, or add --force.' },
  working: { 'zh-CN': '正在计算 {period} 的考核结果…', en: 'Assessing {period}…' },
  written: {
    'zh-CN': '考核评价 {period} 已写入 {path}（{count} 个机构，摘要 {digest}）',
    en: 'Assessment {period} written to {path} ({count} organisations, digest {digest})',
  },
  line: { 'zh-CN': '{rank}. {name}  {total} 分', en: '{rank}. {name}  {total}' },
};

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export default class AdminReport extends MinjiangCommand<AdminReportResult> {
  static override summary = 'Write the assessment (考核评价) of a period: scores, totals and ranking.';
  static override description =
    'Six indicators per organisation (catalog completeness, data timeliness, data quality, tickets closed on time, response to applications and demands, sharing volume), each 0–100, the weighted total (weights: hub config assessmentWeights) and the ranking; periods in China time. xlsx: a 汇总 summary and one sheet per indicator, formatted for printing; csv: one table, UTF-8 with BOM (opens in Excel and WPS); json: to stdout unless --out. Admin or auditor token; the hub audits every reading. See docs/assessment.md.';
  static override examples = [
    '<%= config.bin %> admin report --period 2026-Q4 --format xlsx --out 考核评价-2026Q4.xlsx',
    '<%= config.bin %> admin report --period 2026-11 --format csv',
    '<%= config.bin %> admin report --from 2026-10-01 --to 2026-10-15 --format json > report.json',
  ];
  static override flags = {
    ...hubFlags,
    period: Flags.string({ summary: 'The period: 2026, 2026-Q4 or 2026-11 (China time).' }),
    from: Flags.string({ summary: 'First day of an explicit period (YYYY-MM-DD, with --to).' }),
    to: Flags.string({ summary: 'Last day of an explicit period (YYYY-MM-DD, included).' }),
    kind: Flags.string({
      summary: 'Assess only organisations of this kind.',
      options: ['city', 'department', 'unit'],
    }),
    format: Flags.string({ summary: 'File format.', options: ['xlsx', 'csv', 'json'], default: 'xlsx' }),
    out: Flags.string({
      char: 'o',
      summary: 'The file to write; default 考核评价-<period>.xlsx|csv (json: stdout).',
    }),
    force: Flags.boolean({ summary: 'Overwrite --out if it exists.' }),
  };

  private usage(message: string, location: string): UsageError {
    return new UsageError('USAGE', message, { location, hint: say(TEXT.hint, this.lang) });
  }

  /** The period flags as the hub's query, checked for form (the hub checks the dates themselves). */
  private query(flags: { period?: string; from?: string; to?: string; kind?: string }): AssessmentQuery {
    const kind = flags.kind ? { kind: flags.kind as 'city' | 'department' | 'unit' } : {};
    const explicit = flags.from !== undefined || flags.to !== undefined;
    if (flags.period !== undefined && !explicit) {
      if (!isAssessmentPeriod(flags.period))
        throw this.usage(say(TEXT.period, this.lang, { value: flags.period }), '--period');
      return { period: flags.period, ...kind };
    }
    if (flags.period !== undefined || flags.from === undefined || flags.to === undefined)
      throw this.usage(say(TEXT.which, this.lang), '--period');
    for (const [name, value] of [
      ['--from', flags.from],
      ['--to', flags.to],
    ] as const)
      if (!isAssessmentDate(value)) throw this.usage(say(TEXT.date, this.lang, { value }), name);
    return { from: flags.from, to: flags.to, ...kind };
  }

  /** The report; a period the hub cannot read (30 February) is a usage error too, at its flag. */
  private async fetch(client: HubClient, query: AssessmentQuery): Promise<AssessmentReport> {
    try {
      return await fetchAssessment(client, query, { lang: this.lang });
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      const issue = error.issues[0];
      const location = issue?.location.replace(/^querystring:\/?/, '--') || '--period';
      throw new UsageError(issue?.code ?? error.code, issue?.message ?? error.message, {
        location,
        hint: issue?.hint ?? say(TEXT.hint, this.lang),
      });
    }
  }

  protected async execute(): Promise<AdminReportResult> {
    const { flags } = await this.parse(AdminReport);
    const query = this.query(flags);
    const format = flags.format as AssessmentFormat;
    const label = 'period' in query ? query.period : `${query.from}..${query.to}`;
    const path = flags.out ?? (format === 'json' ? undefined : `考核评价-${label}.${format}`);
    if (path && !flags.force && (await exists(path)))
      throw new UsageError('FILE-EXISTS', say(TEXT.exists, this.lang, { path }), {
        location: path,
        hint: say(TEXT.existsHint, this.lang),
      });
    const { client } = await connectHub(flags, this.lang);
    try {
      this.note(say(TEXT.working, this.lang, { period: label }));
      const report = await this.fetch(client, query);
      if (!path) return report;
      await writeAssessmentReport(report, path, format, { lang: this.lang });
      const { period, generatedAt, digest } = report;
      const organisations = report.organisations.map(({ rank, id, name, total }) => ({
        rank,
        id,
        name,
        total,
      }));
      return { format, path, period, generatedAt, digest, organisations };
    } finally {
      await client.close();
    }
  }

  protected render(result: AdminReportResult): void {
    if (!('path' in result)) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const values = { period: result.period.label, path: result.path, digest: result.digest };
    const lines = [say(TEXT.written, this.lang, { ...values, count: result.organisations.length })];
    for (const org of result.organisations)
      lines.push(say(TEXT.line, this.lang, { ...org, total: org.total.toFixed(2) }));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
