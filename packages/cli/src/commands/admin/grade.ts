import { readFile } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import {
  allGradeProposals,
  applyGrades,
  getGradeProposal,
  gradingConflicts,
  HubAPIError,
  parseGradeReviewFile,
  proposeGrades,
  reviewGradeProposal,
  type GradeApplyResult,
  type GradeConflictReport,
  type GradeProposalStatus,
  type GradeProposalView,
  type GradeProposeResult,
  type GradeReviewDecision,
  type HubClient,
} from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import { hubFlags } from '../../hub-connection.js';
import { say, type Text } from '../../lang.js';
import { withHub } from '../../share/render.js';

/** The `--json` result, by mode (schema: packages/cli/schemas/admin-grade.json). */
export type AdminGradeResult =
  | ({ mode: 'propose' } & GradeProposeResult)
  | { mode: 'list'; proposals: GradeProposalView[] }
  | { mode: 'show'; proposal: GradeProposalView }
  | { mode: 'review'; reviewed: GradeProposalView[]; failed: { id: string; error: ReviewFailure }[] }
  | ({ mode: 'apply' } & GradeApplyResult)
  | ({ mode: 'conflicts' } & GradeConflictReport);

type ReviewFailure = { code: string; message: string; hint?: string };
type Mode = AdminGradeResult['mode'];
const MODES = ['propose', 'review', 'review-file', 'apply', 'conflicts', 'list', 'show'] as const;

const T: Record<string, Text> = {
  oneMode: { 'zh-CN': '一次只能做一件事：{given}', en: 'one thing at a time: {given}' },
  oneModeHint: {
    'zh-CN': '在 --propose、--review、--review-file、--apply、--conflicts、--list、--show 中选一个。',
    en: 'Choose one of --propose, --review, --review-file, --apply, --conflicts, --list, --show.',
  },
  decision: {
    'zh-CN': '--review 需要且只需要 --accept、--reject 或 --grade 之一',
    en: '--review needs exactly one of --accept, --reject, --grade',
  },
  reason: { 'zh-CN': '驳回或改定级别必须用 --reason 说明理由', en: 'rejecting or overriding needs --reason' },
  decisionHint: {
    'zh-CN': '例如 --review GP-2026-1 --accept，或 --grade 一般数据4级 --reason "含敏感个人信息"。',
    en: 'E.g. --review GP-2026-1 --accept, or --grade general-4 --reason "holds sensitive personal data".',
  },
  proposed: {
    'zh-CN':
      '已生成 {resources} 条分级建议：调高 {raise}，调低 {lower}，不变 {same}（替换旧建议 {superseded} 条）',
    en: '{resources} proposals: {raise} raise, {lower} lower, {same} same ({superseded} older ones replaced)',
  },
  line: {
    'zh-CN': '{id}  {code}  {name}  {declared} → {proposed}  [{status}]',
    en: '{id}  {code}  {name}  {declared} → {proposed}  [{status}]',
  },
  none: { 'zh-CN': '没有分级建议', en: 'no proposals' },
  reviewed: { 'zh-CN': '已审核 {ok} 条，失败 {failed} 条', en: '{ok} reviewed, {failed} failed' },
  applied: {
    'zh-CN': '{dry}已应用 {applied}，无需改动 {unchanged}，将应用 {wouldApply}，失败 {failed}',
    en: '{dry}{applied} applied, {unchanged} unchanged, {wouldApply} would apply, {failed} failed',
  },
  dry: { 'zh-CN': '预演（未写入）：', en: 'Dry run (nothing written): ' },
  failedHint: {
    'zh-CN': '失败的建议已标记为 stale：用 --propose 重新生成后再审核。',
    en: 'Failed proposals are now stale: --propose again, then review.',
  },
  conflicts: {
    'zh-CN': '按策略 {policy} 检查 {checked} 个资源：{count} 处冲突，涉及 {resources} 个资源',
    en: 'Policy {policy}, {checked} resources checked: {count} conflicts in {resources} resources',
  },
  where: { 'zh-CN': '    位置: {location}    处理: {hint}', en: '    where: {location}    fix: {hint}' },
  item: { 'zh-CN': '    {name}: {grade}  {reason}', en: '    {name}: {grade}  {reason}' },
};

export default class AdminGrade extends MinjiangCommand<AdminGradeResult> {
  static override summary =
    'Classification and grading (分类分级, GB/T 43697): propose, review, apply, conflicts.';
  static override description = `--propose grades every published resource (or --org / --code-prefix) from its items' names, technical names, checks, code tables and data types and from a sample of submitted values, and files one proposal per resource with its reasons; --list and --show read them; --review <id> --accept | --reject --reason | --grade <level> --reason decides one, --review-file decides many (a JSON array of {id, decision, grade?, reason?}); --apply writes the accepted levels onto the resources as new published versions (--dry-run: say what would happen); --conflicts checks share and open types against the hub's policy (default: the Zhejiang-style example). Admin token to act; an auditor may --list, --show and --conflicts. Exit codes: 0 ok; 1 conflicts found (--conflicts) or a refused review; 5 some proposals failed to apply or some review-file decisions failed; 2 bad flags; 3 not an admin; 4 no such proposal. See docs/grading.md.`;
  static override examples = [
    '<%= config.bin %> admin grade --propose --code-prefix 3350050',
    '<%= config.bin %> admin grade --review GP-2026-3 --grade 一般数据4级 --reason "含法定代表人身份证号"',
    '<%= config.bin %> admin grade --review-file decisions.json && <%= config.bin %> admin grade --apply --dry-run',
    '<%= config.bin %> admin grade --conflicts --json',
  ];
  static override flags = {
    ...hubFlags,
    propose: Flags.boolean({ summary: 'Grade published resources and file proposals for review.' }),
    org: Flags.string({
      summary: 'Only this organisation (id, e.g. 350000/GOV/<USCC>): --propose, --list, --conflicts.',
    }),
    'code-prefix': Flags.string({
      summary: 'Only resource codes starting so: --propose, --list, --conflicts.',
    }),
    sample: Flags.integer({
      summary: 'Submitted rows sampled per resource (at most the hub’s gradingSample).',
      min: 0,
    }),
    review: Flags.string({ summary: 'Decide one proposal (with --accept, --reject or --grade).' }),
    accept: Flags.boolean({ summary: 'Accept the proposed level.' }),
    reject: Flags.boolean({ summary: 'Reject the proposal (needs --reason).' }),
    grade: Flags.string({
      summary: 'Apply this level instead (核心数据 … 一般数据1级, or general-4 …; needs --reason).',
    }),
    reason: Flags.string({ summary: 'Why: recorded with the proposal and in the audit log.' }),
    'review-file': Flags.string({
      summary: 'A JSON array of decisions {id, decision: accept|reject|override, grade?, reason?}.',
    }),
    apply: Flags.boolean({ summary: 'Write accepted levels onto their resources.' }),
    'dry-run': Flags.boolean({ summary: 'With --apply: say what would happen; write nothing.' }),
    conflicts: Flags.boolean({
      summary: 'Report share/open types the policy does not allow at their levels (exit 1 if any).',
    }),
    list: Flags.boolean({ summary: 'List proposals (the default).' }),
    status: Flags.string({
      summary: 'With --list: only this status.',
      options: ['pending', 'accepted', 'rejected', 'applied', 'superseded', 'stale'],
    }),
    show: Flags.string({ summary: 'One proposal with every item’s level and reasons.' }),
  };

  private usage(message: string, location: string, hint: string): UsageError {
    return new UsageError('USAGE', message, { location, hint });
  }

  private modeOf(flags: Record<string, unknown>): Mode | 'review-file' {
    const given = MODES.filter((mode) => flags[mode] !== undefined && flags[mode] !== false);
    if (given.length > 1)
      throw this.usage(
        say(T.oneMode!, this.lang, { given: given.map((m) => `--${m}`).join(' ') }),
        `--${given[1]}`,
        say(T.oneModeHint!, this.lang),
      );
    return given[0] ?? 'list';
  }

  private decisionOf(flags: { accept?: boolean; reject?: boolean; grade?: string; reason?: string }) {
    const chosen = [flags.accept, flags.reject, flags.grade !== undefined].filter(Boolean).length;
    if (chosen !== 1)
      throw this.usage(say(T.decision!, this.lang), '--review', say(T.decisionHint!, this.lang));
    const reason = flags.reason?.trim();
    if (!flags.accept && !reason)
      throw this.usage(say(T.reason!, this.lang), '--reason', say(T.decisionHint!, this.lang));
    const decision = flags.accept ? 'accept' : flags.reject ? 'reject' : 'override';
    return {
      decision,
      ...(flags.grade !== undefined ? { grade: flags.grade } : {}),
      ...(reason ? { reason } : {}),
    } as const;
  }

  /** Decides each entry of a review file; one refused decision does not stop the others. */
  private async reviewMany(client: HubClient, decisions: GradeReviewDecision[]): Promise<AdminGradeResult> {
    const reviewed: GradeProposalView[] = [];
    const failed: { id: string; error: ReviewFailure }[] = [];
    for (const { id, ...input } of decisions) {
      try {
        reviewed.push(await reviewGradeProposal(client, id, input, { lang: this.lang }));
      } catch (error) {
        if (!(error instanceof HubAPIError)) throw error;
        failed.push({
          id,
          error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
        });
      }
    }
    if (failed.length > 0) this.exitCode = EXIT.partial;
    return { mode: 'review', reviewed, failed };
  }

  protected async execute(): Promise<AdminGradeResult> {
    const { flags } = await this.parse(AdminGrade);
    const mode = this.modeOf(flags);
    const lang = { lang: this.lang };
    const filter = {
      ...(flags.org ? { org: flags.org } : {}),
      ...(flags['code-prefix'] ? { codePrefix: flags['code-prefix'] } : {}),
    };
    const decision = mode === 'review' ? this.decisionOf(flags) : undefined;
    const file = flags['review-file'];
    const decisions = file ? parseGradeReviewFile(await readFile(file, 'utf8'), file, this.lang) : [];
    return withHub(flags, this.lang, async (client): Promise<AdminGradeResult> => {
      switch (mode) {
        case 'propose': {
          const sample = flags.sample !== undefined ? { sample: flags.sample } : {};
          return { mode, ...(await proposeGrades(client, { ...filter, ...sample }, lang)) };
        }
        case 'review':
          return {
            mode,
            reviewed: [await reviewGradeProposal(client, flags.review as string, decision!, lang)],
            failed: [],
          };
        case 'review-file':
          return this.reviewMany(client, decisions);
        case 'apply': {
          const result = await applyGrades(client, { dryRun: flags['dry-run'] }, lang);
          if (result.summary.failed > 0) this.exitCode = EXIT.partial;
          return { mode, ...result };
        }
        case 'conflicts': {
          const report = await gradingConflicts(client, filter, lang);
          if (report.conflicts.length > 0) this.exitCode = EXIT.invalid;
          return { mode, ...report };
        }
        case 'show':
          return { mode, proposal: await getGradeProposal(client, flags.show as string, lang) };
        default: {
          const status = flags.status ? { status: flags.status as GradeProposalStatus } : {};
          const proposals: GradeProposalView[] = [];
          for await (const proposal of allGradeProposals(client, { ...filter, ...status }, lang))
            proposals.push(proposal);
          return { mode: 'list', proposals };
        }
      }
    });
  }

  private line(p: GradeProposalView): string {
    const values = {
      id: p.id,
      code: p.resourceCode,
      name: p.resourceName ?? '',
      declared: p.declared,
      proposed: p.decided ?? p.proposed,
      status: p.status,
    };
    const why = p.reasons.map((reason) => `    ${reason.message}`);
    return [say(T.line!, this.lang, values), ...why].join('\n');
  }

  protected render(result: AdminGradeResult): void {
    const out: string[] = [];
    switch (result.mode) {
      case 'propose':
        out.push(...result.proposals.map((p) => this.line(p)), say(T.proposed!, this.lang, result.summary));
        break;
      case 'list':
        out.push(
          ...(result.proposals.length
            ? result.proposals.map((p) => this.line(p))
            : [say(T.none!, this.lang)]),
        );
        break;
      case 'show':
        out.push(this.line(result.proposal));
        for (const item of result.proposal.items ?? [])
          out.push(
            say(T.item!, this.lang, {
              name: item.name,
              grade: item.grade,
              reason: item.reasons.map((r) => r.message).join('；'),
            }),
          );
        break;
      case 'review':
        out.push(...result.reviewed.map((p) => this.line(p)));
        out.push(...result.failed.map((f) => `${f.id}  [${f.error.code}] ${f.error.message}`));
        out.push(say(T.reviewed!, this.lang, { ok: result.reviewed.length, failed: result.failed.length }));
        break;
      case 'apply':
        out.push(
          ...result.results.map(
            (r) =>
              `${r.result}  ${r.id}  ${r.resourceCode}  ${r.from} → ${r.to}${r.version ? `  v${r.version}` : ''}${r.error ? `  [${r.error.code}] ${r.error.message}` : ''}`,
          ),
        );
        out.push(
          say(T.applied!, this.lang, { ...result.summary, dry: result.dryRun ? say(T.dry!, this.lang) : '' }),
        );
        if (result.summary.failed > 0) out.push(say(T.failedHint!, this.lang));
        break;
      case 'conflicts':
        for (const c of result.conflicts)
          out.push(
            `${c.resource}  [${c.code}] ${c.message}`,
            say(T.where!, this.lang, { location: c.location, hint: c.hint ?? '' }),
          );
        out.push(
          say(T.conflicts!, this.lang, {
            policy: result.policy.name,
            checked: result.checked,
            count: result.conflicts.length,
            resources: result.resourcesWithConflicts,
          }),
        );
        break;
    }
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
