import { Args, Flags } from '@oclif/core';
import type { Application, HubClient, OfferBody, SharingMode } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { UsageError } from '../../exit-codes.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';
import { listOf } from '../../share/input.js';
import { messageIdFlag } from '../../share/transition-command.js';
import { applicationLines, printLines, withHub } from '../../share/render.js';

const TEXT = {
  reason: { 'zh-CN': '驳回必须说明理由', en: 'a rejection needs a reason' },
  reasonHint: {
    'zh-CN': '加 --reason，说明依据以及怎样的申请可以通过。',
    en: 'Add --reason: the basis, and what would make the application acceptable.',
  },
  perDay: { 'zh-CN': '条件中必须给出每日调用上限', en: 'an offer needs a daily quota' },
  perDayHint: {
    'zh-CN': '申请未填写预计每日用量，请加 --per-day。',
    en: 'The application gives no expected daily volume: add --per-day.',
  },
  done: { 'zh-CN': '已{decision}：{id} 现为 {state}', en: '{decision}: {id} is now {state}' },
};

const DECISIONS = {
  approve: { 'zh-CN': '同意', en: 'approved' },
  offer: { 'zh-CN': '提出条件', en: 'offer made' },
  reject: { 'zh-CN': '驳回', en: 'rejected' },
};

type Decision = keyof typeof DECISIONS;

export default class ShareReview extends MinjiangCommand<Application> {
  static override summary = 'Review an application: approve, make an offer with narrower terms, or reject.';
  static override description =
    'The 主管部门 (admin) prechecks at PRECHECK and decides at ESCALATED; the provider’s reviewer decides at PROVIDER_REVIEW. An offer takes the requested terms, narrowed by the flags (items ⊆ requested, period within the requested one); the applicant must accept it. A rejection needs --reason.';
  static override examples = [
    '<%= config.bin %> share review urn:ses:app:350000:2026:1 approve',
    "<%= config.bin %> share review urn:ses:app:350000:2026:1 offer --items '姓名,户籍地行政区划' --per-day 500",
    "<%= config.bin %> share review urn:ses:app:350000:2026:1 reject --reason '用途与资源共享条件不符'",
  ];
  static override args = {
    id: Args.string({ required: true, description: 'The application id.' }),
    decision: Args.string({
      required: true,
      description: 'approve, offer or reject.',
      options: ['approve', 'offer', 'reject'],
    }),
  };
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why: required to reject; recorded in the history.' }),
    'message-id': messageIdFlag,
    items: Flags.string({ summary: 'Offer: the items granted, comma-separated (default: those asked for).' }),
    masking: Flags.string({ summary: 'Masking profile (MP-…) of the offer or approval.' }),
    'per-day': Flags.integer({ summary: 'Daily quota of calls or rows.', min: 1 }),
    'per-second': Flags.integer({ summary: 'Calls a second at most.', min: 1 }),
    from: Flags.string({ summary: 'Offer: first day, YYYY-MM-DD (default: as asked).' }),
    to: Flags.string({ summary: 'Offer: last day, YYYY-MM-DD (default: as asked).' }),
    mode: Flags.string({
      summary: 'Offer: delivery mode (default: as asked).',
      options: ['API', 'PACKAGE', 'VERIFY'],
    }),
    'row-filter': Flags.string({
      summary: 'Only rows whose item has one of these values: "<item> = <v>[, <v>…]".',
    }),
  };

  private decision: Decision = 'approve';

  protected async execute(): Promise<Application> {
    const { args, flags } = await this.parse(ShareReview);
    this.decision = args.decision as Decision;
    if (this.decision === 'reject' && !flags.reason?.trim())
      throw new UsageError('SHARE-REASON-REQUIRED', say(TEXT.reason, this.lang), {
        hint: say(TEXT.reasonHint, this.lang),
      });
    return withHub(flags, this.lang, async (client) => {
      // Read first: the offer starts from the terms asked for, and the step is made conditional
      // on the state seen, so a decision taken meanwhile by someone else is not overridden.
      const app = await client.sharing.getApplication(args.id);
      return this.decide(client, app, flags);
    });
  }

  private async decide(client: HubClient, app: Application, flags: ReviewFlags): Promise<Application> {
    const base = {
      expectedState: app.state,
      ...(flags.reason ? { reason: flags.reason } : {}),
      ...(flags['message-id'] ? { messageId: flags['message-id'] } : {}),
    };
    const quota = {
      ...(flags['per-day'] !== undefined ? { perDay: flags['per-day'] } : {}),
      ...(flags['per-second'] !== undefined ? { perSecond: flags['per-second'] } : {}),
    };
    if (this.decision === 'reject')
      return client.sharing.reject(app.id, { ...base, reason: flags.reason ?? '' });
    if (this.decision === 'approve')
      return client.sharing.approve(app.id, {
        ...base,
        ...(Object.keys(quota).length > 0 ? { quota } : {}),
        ...(flags.masking ? { masking: flags.masking } : {}),
        ...(flags['row-filter'] ? { rowFilter: flags['row-filter'] } : {}),
      });
    return client.sharing.offer(app.id, { ...base, ...this.offerTerms(app, flags, quota) });
  }

  /** The terms asked for, narrowed by the flags. */
  private offerTerms(
    app: Application,
    flags: ReviewFlags,
    quota: { perDay?: number; perSecond?: number },
  ): OfferBody {
    const perDay = quota.perDay ?? app.request.expectedVolume?.perDay;
    if (perDay === undefined)
      throw new UsageError('SHARE-QUOTA-REQUIRED', say(TEXT.perDay, this.lang), {
        hint: say(TEXT.perDayHint, this.lang),
      });
    return {
      items: flags.items ? listOf(flags.items) : app.request.items,
      masking: flags.masking ?? app.request.masking?.profile ?? 'MP-STD-01',
      quota: { ...quota, perDay },
      period: { from: flags.from ?? app.request.period.from, to: flags.to ?? app.request.period.to },
      mode: (flags.mode as SharingMode | undefined) ?? app.request.mode,
      ...(flags['row-filter'] ? { rowFilter: flags['row-filter'] } : {}),
    };
  }

  protected render(app: Application): void {
    const decision = say(DECISIONS[this.decision], this.lang);
    printLines([
      say(TEXT.done, this.lang, { decision, id: app.id, state: app.state }),
      ...applicationLines(app, this.lang).slice(1),
    ]);
  }
}

interface ReviewFlags {
  'message-id'?: string | undefined;
  reason?: string | undefined;
  items?: string | undefined;
  masking?: string | undefined;
  'per-day'?: number | undefined;
  'per-second'?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  mode?: string | undefined;
  'row-filter'?: string | undefined;
}
