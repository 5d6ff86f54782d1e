import { access } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { FixSheetSummary } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { UsageError } from '../../exit-codes.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export type FeedbackPullResult = FixSheetSummary & { ticket: string };

const TEXT = {
  written: {
    'zh-CN':
      '工单 {ticket} 的 {problems} 条问题数据（{lines} 行）已写入 {path}：在“更正值”列填写正确的值，然后运行 minjiang feedback submit {path}',
    en: '{problems} problem records ({lines} lines) of ticket {ticket} written to {path}: fill the 更正值 column, then run minjiang feedback submit {path}',
  },
  exists: { 'zh-CN': '{path} 已存在', en: '{path} already exists' },
  existsHint: {
    'zh-CN': '换一个 --output，或加 --force 覆盖。',
    en: 'Choose another --output, or add --force.',
  },
};

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export default class FeedbackPull extends MinjiangCommand<FeedbackPullResult> {
  static override summary =
    'Write the fix sheet of a ticket: each problem, the suggested fix, a column to fill.';
  static override description =
    "One line per finding: ticket, problem id, row number, key, information item, original value, the problem, the suggested fix and an empty 更正值 (correction) column, then the row's values. xlsx (the 更正值 column highlighted, header frozen) or CSV (UTF-8 with BOM), by the extension of --output. Cells that a spreadsheet could run as formulas (=, +, -, @, tab, CR) are prefixed with a single quote; `feedback submit` removes it again.";
  static override examples = [
    '<%= config.bin %> feedback pull T-350000-2025-000001',
    '<%= config.bin %> feedback pull T-350000-2025-000001 --output 更正表.csv',
  ];
  static override args = { ticket: Args.string({ required: true, description: 'The ticket id.' }) };
  static override flags = {
    ...hubFlags,
    output: Flags.string({
      char: 'o',
      summary: 'The fix sheet to write (.xlsx or .csv); default <ticket>.xlsx.',
    }),
    all: Flags.boolean({ summary: 'Include corrected and waived records, not only the open ones.' }),
    force: Flags.boolean({ summary: 'Overwrite the output if it exists.' }),
  };

  protected async execute(): Promise<FeedbackPullResult> {
    const { args, flags } = await this.parse(FeedbackPull);
    const path = flags.output ?? `${args.ticket.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.xlsx`;
    if (!flags.force && (await exists(path)))
      throw new UsageError('FILE-EXISTS', say(TEXT.exists, this.lang, { path }), {
        location: path,
        hint: say(TEXT.existsHint, this.lang),
      });
    const { client } = await connectHub(flags, this.lang);
    const { pullFixSheet } = await import('@minjiang/sdk');
    try {
      return await pullFixSheet(client, args.ticket, path, { status: flags.all ? 'all' : 'open' });
    } finally {
      await client.close();
    }
  }

  protected render(result: FeedbackPullResult): void {
    process.stdout.write(`${say(TEXT.written, this.lang, { ...result })}\n`);
  }
}
