import { Args, Flags } from '@oclif/core';
import {
  cascadeChild,
  cascadeChildren,
  decideCascadeChild,
  type CascadeChild,
  type CascadeChildStatus,
  type CascadeDecision,
  type CascadeState,
} from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { childLines } from '../../cascade/registry.js';
import { UsageError } from '../../exit-codes.js';
import { hubFlags } from '../../hub-connection.js';
import { say, type Text } from '../../lang.js';
import { withHub } from '../../share/render.js';

/** The `--json` result (schema: packages/cli/schemas/cascade-children.json). */
export type CascadeChildrenResult =
  | { mode: 'list'; children: CascadeChild[] }
  | { mode: 'show'; child: CascadeChildStatus }
  | { mode: CascadeDecision; child: CascadeChild };

const DECISIONS = ['approve', 'reject', 'revoke'] as const;

const T: Record<string, Text> = {
  one: { 'zh-CN': '一次只能做一个决定：{given}', en: 'one decision at a time: {given}' },
  oneHint: {
    'zh-CN': '在 --approve、--reject、--revoke 中选一个，例如 cascade children 350100 --approve。',
    en: 'Choose one of --approve, --reject, --revoke, e.g. cascade children 350100 --approve.',
  },
  which: { 'zh-CN': '--{decision} 需要指明下级平台代码', en: '--{decision} needs the child hub code' },
  whichHint: {
    'zh-CN': '例如 minjiang cascade children 350100 --{decision}；不带参数运行可列出全部下级平台。',
    en: 'E.g. minjiang cascade children 350100 --{decision}; without arguments it lists the children.',
  },
  reason: { 'zh-CN': '--{decision} 必须用 --reason 说明理由', en: '--{decision} needs --reason' },
  reasonHint: {
    'zh-CN': '理由会记入注册记录和审计日志，并告知下级平台。',
    en: 'The reason is kept with the registration and in the audit log, and shown to the child.',
  },
  none: { 'zh-CN': '没有下级平台', en: 'no child hubs' },
  pending: { 'zh-CN': '{count} 个待审批', en: '{count} pending approval' },
  sync: {
    'zh-CN': '    同步：游标 {cursor}，对方最新 {head}，上次 {at}',
    en: '    sync: cursor {cursor}, head {head}, last {at}',
  },
};

export default class CascadeChildren extends MinjiangCommand<CascadeChildrenResult> {
  static override summary =
    'Child hubs registered with this provincial hub: list, show, approve, reject, revoke.';
  static override description = `Without arguments: every child hub (--state to filter). With a hub code: that child with its sync figures. --approve approves a PENDING registration: its node key is then trusted for hub-to-hub requests; --reject (PENDING) and --revoke (APPROVED) need --reason. Administrator token to decide; administrator or auditor to read. Exit codes: 0 ok; 2 bad flags (a decision without a hub code, or without --reason); 3 not allowed; 4 no such child hub; 1 the child is not in a state that allows the decision. See docs/cascade-registry.md.`;
  static override examples = [
    '<%= config.bin %> cascade children --state PENDING',
    '<%= config.bin %> cascade children 350100 --approve',
    '<%= config.bin %> cascade children 350100 --revoke --reason "节点密钥泄露，须重新注册"',
  ];
  static override args = { hub: Args.string({ description: 'The child hub code, e.g. 350100.' }) };
  static override flags = {
    ...hubFlags,
    state: Flags.string({
      summary: 'List only children in this state.',
      options: ['PENDING', 'APPROVED', 'REJECTED', 'REVOKED'],
    }),
    approve: Flags.boolean({ summary: 'Approve the PENDING registration of the child.' }),
    reject: Flags.boolean({ summary: 'Reject the PENDING registration (needs --reason).' }),
    revoke: Flags.boolean({ summary: 'Revoke an APPROVED child (needs --reason).' }),
    reason: Flags.string({ summary: 'Why: kept with the registration and in the audit log.' }),
  };

  private decisionOf(flags: Record<string, unknown>, hub: string | undefined): CascadeDecision | undefined {
    const given = DECISIONS.filter((decision) => flags[decision] === true);
    if (given.length > 1)
      throw new UsageError('USAGE', say(T.one!, this.lang, { given: given.map((d) => `--${d}`).join(' ') }), {
        location: `--${given[1]}`,
        hint: say(T.oneHint!, this.lang),
      });
    const decision = given[0];
    if (decision && !hub)
      throw new UsageError('USAGE', say(T.which!, this.lang, { decision }), {
        location: `--${decision}`,
        hint: say(T.whichHint!, this.lang, { decision }),
      });
    if (decision && decision !== 'approve' && !(flags.reason as string | undefined)?.trim())
      throw new UsageError('USAGE', say(T.reason!, this.lang, { decision }), {
        location: '--reason',
        hint: say(T.reasonHint!, this.lang),
      });
    return decision;
  }

  protected async execute(): Promise<CascadeChildrenResult> {
    const { args, flags } = await this.parse(CascadeChildren);
    const decision = this.decisionOf(flags, args.hub);
    const lang = { lang: this.lang };
    return withHub(flags, this.lang, async (client): Promise<CascadeChildrenResult> => {
      if (decision && args.hub) {
        const reason = flags.reason?.trim();
        const child = await decideCascadeChild(client, args.hub, decision, reason ? { reason } : {}, lang);
        return { mode: decision, child };
      }
      if (args.hub) return { mode: 'show', child: await cascadeChild(client, args.hub, lang) };
      const children: CascadeChild[] = [];
      const query = flags.state ? { state: flags.state as CascadeState } : {};
      for await (const child of cascadeChildren(client, query, lang)) children.push(child);
      return { mode: 'list', children };
    });
  }

  protected render(result: CascadeChildrenResult): void {
    const lines: string[] = [];
    if (result.mode === 'list') {
      if (result.children.length === 0) lines.push(say(T.none!, this.lang));
      for (const child of result.children) lines.push(...childLines(child, this.lang));
      const pending = result.children.filter((child) => child.state === 'PENDING').length;
      if (pending > 0) lines.push(say(T.pending!, this.lang, { count: pending }));
    } else {
      lines.push(...childLines(result.child, this.lang));
      const child = result.child as Partial<CascadeChildStatus>;
      if (result.mode === 'show' && child.lastSyncAt)
        lines.push(
          say(T.sync!, this.lang, { cursor: child.cursor ?? 0, head: child.head ?? 0, at: child.lastSyncAt }),
        );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
