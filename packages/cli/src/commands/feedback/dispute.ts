import { Args, Flags } from '@oclif/core';
import type { Ticket } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

const TEXT = {
  done: {
    'zh-CN': '工单 {id} 已提出异议（{status}）：等待平台管理员裁定',
    en: 'ticket {id} disputed ({status}): an administrator will decide',
  },
};

export default class FeedbackDispute extends MinjiangCommand<Ticket> {
  static override summary = 'Dispute a problem ticket, with a reason (open or acknowledged → disputed).';
  static override description =
    'For problems the organisation holds to be wrong. A platform administrator then closes the ticket (dispute upheld, open records waived) or reopens it (dispute refused).';
  static override examples = [
    '<%= config.bin %> feedback dispute T-350000-2025-000001 --reason "户号按公安口径为 12 位，校验规则有误"',
  ];
  static override args = { ticket: Args.string({ required: true, description: 'The ticket id.' }) };
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why the problems are not problems.', required: true }),
  };

  protected async execute(): Promise<Ticket> {
    const { args, flags } = await this.parse(FeedbackDispute);
    const { client } = await connectHub(flags, this.lang);
    try {
      return await client.data.disputeTicket(args.ticket, flags.reason);
    } finally {
      await client.close();
    }
  }

  protected render(ticket: Ticket): void {
    process.stdout.write(`${say(TEXT.done, this.lang, { ...ticket })}\n`);
  }
}
