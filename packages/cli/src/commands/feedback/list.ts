import { Flags } from '@oclif/core';
import type { Ticket } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say, chinaDay } from '../../lang.js';

export interface FeedbackListResult {
  items: Ticket[];
}

const TEXT = {
  line: {
    'zh-CN': '{id}  {status}  {kind}  {resource}  待更正 {open}/{total}  期限 {deadline}',
    en: '{id}  {status}  {kind}  {resource}  open {open}/{total}  due {deadline}',
  },
  none: { 'zh-CN': '没有问题数据工单', en: 'no problem tickets' },
  escalated: { 'zh-CN': '  已逾期督办（第{level}级）', en: '  overdue, escalated (level {level})' },
};

export default class FeedbackList extends MinjiangCommand<FeedbackListResult> {
  static override summary = 'List problem-data tickets (问题数据) of the organisation.';
  static override description =
    'Tickets hold the rows the hub rejected from a submission, or an objection raised against a stored row, with a deadline in working days. An officer sees the tickets of its organisation and those it raised.';
  static override examples = [
    '<%= config.bin %> feedback list',
    '<%= config.bin %> feedback list --status open --resource 3350010001/000001 --json',
  ];
  static override flags = {
    ...hubFlags,
    resource: Flags.string({ char: 'r', summary: 'Only tickets of this resource.' }),
    status: Flags.string({
      summary: 'Only tickets in this state.',
      options: ['open', 'acknowledged', 'disputed', 'corrected', 'closed'],
    }),
    kind: Flags.string({ summary: 'Only tickets of this kind.', options: ['submission', 'objection'] }),
    limit: Flags.integer({ summary: 'At most this many tickets.', default: 100, min: 1, max: 10_000 }),
  };

  protected async execute(): Promise<FeedbackListResult> {
    const { flags } = await this.parse(FeedbackList);
    const { client } = await connectHub(flags, this.lang);
    try {
      const items: Ticket[] = [];
      const query = {
        ...(flags.resource ? { resource: flags.resource } : {}),
        ...(flags.status ? { status: flags.status as Ticket['status'] } : {}),
        ...(flags.kind ? { kind: flags.kind as Ticket['kind'] } : {}),
        limit: Math.min(flags.limit, 500),
      };
      for await (const ticket of client.data.listTickets(query)) {
        items.push(ticket);
        if (items.length >= flags.limit) break;
      }
      return { items };
    } finally {
      await client.close();
    }
  }

  protected render(result: FeedbackListResult): void {
    if (result.items.length === 0) process.stdout.write(`${say(TEXT.none, this.lang)}\n`);
    for (const t of result.items) {
      const line = say(TEXT.line, this.lang, {
        ...t,
        open: t.records.open,
        total: t.records.total,
        deadline: chinaDay(t.deadline),
      });
      const escalated = t.escalation ? say(TEXT.escalated, this.lang, { level: t.escalation.level }) : '';
      process.stdout.write(`${line}${escalated}\n`);
    }
  }
}
