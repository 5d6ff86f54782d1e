import { Args, Flags } from '@oclif/core';
import type { DataFinding, FixSheetReading, Ticket } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { requireDataFile } from '../../data-resource.js';
import { EXIT } from '../../exit-codes.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export interface TicketCorrections {
  ticket: string;
  sent: number;
  accepted: string[];
  rejected: { problem: string; findings: DataFinding[] }[];
  status: Ticket['status'];
  open: number;
}

export interface FeedbackSubmitResult {
  file: string;
  tickets: TicketCorrections[];
  suggested: number;
  maskedSuggestions: FixSheetReading['maskedSuggestions'];
  summary: { sent: number; accepted: number; rejected: number };
}

const TEXT = {
  ticket: {
    'zh-CN':
      '工单 {ticket}：发送 {sent} 条更正，通过 {accepted}，未通过 {rejected}；工单状态 {status}，待更正 {open} 条',
    en: 'ticket {ticket}: {sent} corrections sent, {accepted} accepted, {rejected} rejected; ticket {status}, {open} open',
  },
  accepted: { 'zh-CN': '  ✓ {problem}', en: '  ✓ {problem}' },
  rejected: { 'zh-CN': '  ✗ {problem}：{reasons}', en: '  ✗ {problem}: {reasons}' },
  masked: {
    'zh-CN': '  ! {problem} 的“{item}”建议值已脱敏，未采用：请在 {location} 所在行的“更正值”列填写',
    en: '  ! the suggestion for {item} of {problem} is masked and was not used: fill 更正值 on the line of {location}',
  },
  nothing: {
    'zh-CN': '更正表中没有填写任何更正值（“更正值”列为空）；加 --accept-suggestions 可采用建议修正。',
    en: 'the fix sheet has no corrections (the 更正值 column is empty); --accept-suggestions takes the suggested fixes.',
  },
};

export default class FeedbackSubmit extends MinjiangCommand<FeedbackSubmitResult> {
  static override summary = 'Send the corrections of a filled fix sheet; the hub re-validates each row.';
  static override description =
    'Reads the 更正值 column of a fix sheet written by `feedback pull` (xlsx or CSV), grouped by problem, and sends the corrections of each ticket. The hub applies each correction to the stored problem row and validates it again: rows that pass are stored and their problems corrected; when none is left open, the ticket closes. Prints accepted and rejected per problem. --accept-suggestions takes the suggested fix where 更正值 is empty (never a masked one). Exit code 1 when some correction is still rejected.';
  static override examples = [
    '<%= config.bin %> feedback submit T-350000-2025-000001.xlsx',
    '<%= config.bin %> feedback submit 更正表.csv --accept-suggestions --json',
  ];
  static override args = { sheet: Args.string({ required: true, description: 'The filled fix sheet.' }) };
  static override flags = {
    ...hubFlags,
    'accept-suggestions': Flags.boolean({ summary: 'Take the suggested fix where 更正值 is empty.' }),
  };

  protected async execute(): Promise<FeedbackSubmitResult> {
    const { args, flags } = await this.parse(FeedbackSubmit);
    await requireDataFile(args.sheet, this.lang);
    const { client } = await connectHub(flags, this.lang);
    const { readFixSheet, openProblemIds } = await import('@minjiang/sdk');
    try {
      const reading = await readFixSheet(args.sheet, {
        acceptSuggestions: flags['accept-suggestions'],
        knownProblems: (ticket) => openProblemIds(client, ticket),
      });
      const tickets: TicketCorrections[] = [];
      for (const { ticket, corrections } of reading.tickets) {
        const answer = await client.data.submitCorrections(ticket, corrections);
        tickets.push({
          ticket,
          sent: corrections.length,
          accepted: answer.accepted,
          rejected: answer.rejected,
          status: answer.ticket.status,
          open: answer.ticket.records.open,
        });
      }
      const summary = {
        sent: tickets.reduce((n, t) => n + t.sent, 0),
        accepted: tickets.reduce((n, t) => n + t.accepted.length, 0),
        rejected: tickets.reduce((n, t) => n + t.rejected.length, 0),
      };
      if (summary.rejected > 0) this.exitCode = EXIT.invalid;
      return {
        file: args.sheet,
        tickets,
        suggested: reading.suggested,
        maskedSuggestions: reading.maskedSuggestions,
        summary,
      };
    } finally {
      await client.close();
    }
  }

  protected render(result: FeedbackSubmitResult): void {
    const lines: string[] = [];
    if (result.tickets.length === 0) lines.push(say(TEXT.nothing, this.lang));
    for (const t of result.tickets) {
      lines.push(
        say(TEXT.ticket, this.lang, { ...t, accepted: t.accepted.length, rejected: t.rejected.length }),
      );
      for (const problem of t.accepted) lines.push(say(TEXT.accepted, this.lang, { problem }));
      for (const { problem, findings } of t.rejected) {
        const reasons = findings
          .map((f) => `${f.item ?? f.column ?? ''} ${f.message}（${f.code}）`)
          .join('；');
        lines.push(say(TEXT.rejected, this.lang, { problem, reasons }));
      }
    }
    for (const masked of result.maskedSuggestions) lines.push(say(TEXT.masked, this.lang, masked));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
