import { Args } from '@oclif/core';
import type { Ticket } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say, chinaDay } from '../../lang.js';

const TEXT = {
  done: {
    'zh-CN': '工单 {id} 已确认（{status}），期限 {deadline}，待更正 {open} 条',
    en: 'ticket {id} acknowledged ({status}), due {deadline}, {open} open',
  },
};

export default class FeedbackAcknowledge extends MinjiangCommand<Ticket> {
  static override summary =
    'Acknowledge a problem ticket: the organisation takes it on (open → acknowledged).';
  static override examples = ['<%= config.bin %> feedback acknowledge T-350000-2025-000001'];
  static override args = { ticket: Args.string({ required: true, description: 'The ticket id.' }) };
  static override flags = { ...hubFlags };

  protected async execute(): Promise<Ticket> {
    const { args, flags } = await this.parse(FeedbackAcknowledge);
    const { client } = await connectHub(flags, this.lang);
    try {
      return await client.data.acknowledgeTicket(args.ticket);
    } finally {
      await client.close();
    }
  }

  protected render(ticket: Ticket): void {
    process.stdout.write(
      `${say(TEXT.done, this.lang, { ...ticket, open: ticket.records.open, deadline: chinaDay(ticket.deadline) })}\n`,
    );
  }
}
