import { Flags } from '@oclif/core';
import type { Lang } from '@minjiang/standards';
import {
  bulkReview,
  DEFAULT_REVIEW_BATCH_SIZE,
  parseReviewFilter,
  ReviewFilterError,
  type ReviewFilter,
  type ReviewItem,
  type ReviewReport,
  type ReviewTargetType,
} from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';
import { withHub } from '../../share/render.js';

/** The `--json` result (schema: packages/cli/schemas/admin-review.json). */
export type AdminReviewResult = ReviewReport;

const TEXT = {
  reason: { 'zh-CN': '批量驳回必须说明理由', en: 'a bulk rejection needs a reason' },
  reasonHint: {
    'zh-CN': '加 --reason，说明驳回依据以及怎样修改后可以通过；理由会记入每一项的历史和审计日志。',
    en: 'Add --reason: the basis, and what would make it acceptable; it goes into every history and the audit log.',
  },
  matched: {
    'zh-CN': '匹配 {count} 项，开始{action}（每批 {size} 项）…',
    en: '{count} matched; starting to {action} ({size} per request)…',
  },
  progress: { 'zh-CN': '已处理 {done}/{total}', en: '{done}/{total} done' },
  none: {
    'zh-CN': '没有符合筛选条件的待审核{what}（{filter}）；未做任何修改',
    en: 'no {what} awaiting review matches the filter ({filter}); nothing was done',
  },
  noneHint: {
    'zh-CN':
      '检查 --filter；用 --dry-run 试筛选条件，或 minjiang catalog search --status submitted / minjiang share list --state PRECHECK 查看待审核项。',
    en: 'Check --filter; try filters with --dry-run, or look with minjiang catalog search --status submitted / minjiang share list --state PRECHECK.',
  },
  summary: {
    'zh-CN': '共匹配 {matched} 项：通过 {approved}，驳回 {rejected}，失败 {failed}',
    en: '{matched} matched: {approved} approved, {rejected} rejected, {failed} failed',
  },
  dryRun: {
    'zh-CN': '预演，未做任何修改：将{action} {matched} 项。去掉 --dry-run 执行。',
    en: 'Dry run, nothing was done: would {action} {matched}. Run again without --dry-run to act.',
  },
  failedHint: {
    'zh-CN': '失败项未改变；修正后再次运行同一命令，只会处理仍然符合条件的项。',
    en: 'Failed items are unchanged; run the same command again after fixing them: it takes up only what still matches.',
  },
};

const WHAT: Record<ReviewTargetType, Record<Lang, string>> = {
  resource: { 'zh-CN': '目录资源', en: 'catalog resource' },
  application: { 'zh-CN': '共享申请', en: 'application' },
};
type Action = 'approve' | 'reject';
const ACTION: Record<Action, Record<Lang, string>> = {
  approve: { 'zh-CN': '通过', en: 'approve' },
  reject: { 'zh-CN': '驳回', en: 'reject' },
};
const RESULT: Record<ReviewItem['result'], Record<Lang, string>> = {
  planned: { 'zh-CN': '待执行', en: 'planned' },
  approved: { 'zh-CN': '已通过', en: 'approved' },
  rejected: { 'zh-CN': '已驳回', en: 'rejected' },
  failed: { 'zh-CN': '失败', en: 'FAILED' },
};
const HEADER: Record<Lang, string[]> = {
  'zh-CN': ['结果', '对象', '名称', '提供方', '状态', '说明'],
  en: ['result', 'target', 'name', 'provider', 'state', 'detail'],
};

export default class AdminReview extends MinjiangCommand<AdminReviewResult> {
  static override summary =
    'Bulk review (admin): approve or reject every catalog resource or application the filter matches.';
  static override description = `Targets are catalog resources awaiting review (--type resource, state submitted) or sharing applications awaiting the platform (--type application, state PRECHECK, or ESCALATED). --filter key=value is repeatable and every term must hold: state, org (provider id or USCC), applicant (applications), code (a code, or a prefix ending in *), q (text), updatedBefore / updatedAfter (YYYY-MM-DD, China time, or an ISO time). Each item is decided on what was listed (its ETag or state): one changed meanwhile fails alone. Exit 0 all done, 5 some failed, 4 nothing matched, 2 bad flags or filter, 3 not an admin. See docs/admin-review.md.`;
  static override examples = [
    '<%= config.bin %> admin review --filter org=350000/GOV/11350000003591037R --approve --dry-run',
    "<%= config.bin %> admin review --filter 'code=3350010001/*' --filter updatedBefore=2026-11-01 --approve",
    "<%= config.bin %> admin review --type application --filter q=户籍 --reject --reason '用途与共享条件不符' --json",
  ];
  static override flags = {
    ...hubFlags,
    type: Flags.string({
      summary: 'What to review: catalog resources, or sharing applications at the platform’s precheck.',
      options: ['resource', 'application'],
      default: 'resource',
    }),
    filter: Flags.string({
      summary:
        'key=value, repeatable, all must hold (keys: state, org, applicant, code, q, updatedBefore, updatedAfter).',
      multiple: true,
    }),
    approve: Flags.boolean({ summary: 'Approve every match.', exactlyOne: ['approve', 'reject'] }),
    reject: Flags.boolean({
      summary: 'Reject every match (needs --reason).',
      exactlyOne: ['approve', 'reject'],
    }),
    reason: Flags.string({
      summary: 'Why: required to reject; recorded with every item and in the audit log.',
    }),
    'dry-run': Flags.boolean({ summary: 'List what would be done; write nothing.' }),
    'batch-size': Flags.integer({
      summary: 'Resources per request to the hub (split further if the hub takes fewer).',
      default: DEFAULT_REVIEW_BATCH_SIZE,
      min: 1,
      max: 1000,
    }),
  };

  protected async execute(): Promise<AdminReviewResult> {
    const { flags } = await this.parse(AdminReview);
    const type = flags.type as ReviewTargetType;
    const action: Action = flags.reject ? 'reject' : 'approve';
    const reason = flags.reason?.trim();
    if (action === 'reject' && !reason)
      throw new UsageError('ADMIN-REVIEW-REASON', say(TEXT.reason, this.lang), {
        hint: say(TEXT.reasonHint, this.lang),
      });
    const filter = this.filterOf(type, flags.filter ?? []);
    const report = await withHub(flags, this.lang, (client) =>
      bulkReview(client, {
        type,
        filter,
        action,
        ...(reason ? { reason } : {}),
        dryRun: flags['dry-run'],
        batchSize: flags['batch-size'],
        lang: this.lang,
        onMatched: (count) => this.matched(count, type, action, flags['batch-size'], flags['dry-run']),
        onProgress: (done, total) => this.progress(done, total),
      }),
    );
    this.exitCode = this.exitOf(report);
    return report;
  }

  /** Filter mistakes are usage errors (exit 2), caught before the hub is asked anything. */
  private filterOf(type: ReviewTargetType, terms: string[]): ReviewFilter {
    try {
      return parseReviewFilter(type, terms, this.lang);
    } catch (error) {
      if (!(error instanceof ReviewFilterError)) throw error;
      throw new UsageError(error.code, error.message, {
        ...(error.location ? { location: error.location } : {}),
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
  }

  private matched(
    count: number,
    type: ReviewTargetType,
    action: Action,
    size: number,
    dryRun: boolean,
  ): void {
    if (this.json || dryRun || count === 0) return;
    const perRequest = type === 'resource' ? size : 1;
    this.note(say(TEXT.matched, this.lang, { count, action: ACTION[action][this.lang], size: perRequest }));
  }

  private progress(done: number, total: number): void {
    if (!this.json) this.note(say(TEXT.progress, this.lang, { done, total }));
  }

  /**
   * Nothing matched is 4 (not found), stated on stderr, so a script does not take a mistyped
   * filter for a finished review; some items failed is 5 (partial).
   */
  private exitOf(report: ReviewReport): (typeof EXIT)[keyof typeof EXIT] {
    if (report.summary.matched === 0) {
      const filter = Object.entries(report.filter)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ');
      this.note(say(TEXT.none, this.lang, { what: WHAT[report.type][this.lang], filter }));
      this.note(`  ${say(TEXT.noneHint, this.lang)}`);
      return EXIT.notFound;
    }
    return report.summary.failed > 0 ? EXIT.partial : EXIT.ok;
  }

  protected render(report: AdminReviewResult): void {
    if (report.items.length === 0) return;
    const rows = [HEADER[this.lang], ...report.items.map((item) => this.row(item))];
    process.stdout.write(table(rows));
    const action = ACTION[report.action][this.lang];
    const line = report.dryRun
      ? say(TEXT.dryRun, this.lang, { action, matched: report.summary.matched })
      : say(TEXT.summary, this.lang, { ...report.summary });
    process.stdout.write(`\n${line}\n`);
    if (report.summary.failed > 0) this.note(say(TEXT.failedHint, this.lang));
  }

  private row(item: ReviewItem): string[] {
    const state = item.state !== undefined ? `${item.from} → ${item.state}` : item.from;
    const detail = item.error ? `[${item.error.code}] ${item.error.message}` : '';
    return [RESULT[item.result][this.lang], item.id, item.name ?? '', item.org, state, detail];
  }
}

/** East Asian wide characters: each takes two cells of a terminal, so columns line up. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

function width(text: string): number {
  let cells = 0;
  for (const char of text) cells += WIDE.test(char) ? 2 : 1;
  return cells;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => width(row[column] ?? ''))));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell + ' '.repeat(widths[column]! - width(cell)),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
