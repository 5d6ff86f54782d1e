import { Args, Flags } from '@oclif/core';
import type { Submission } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export interface DataStatusResult {
  items: Submission[];
}

const TEXT = {
  line: {
    'zh-CN': '{id}  {status}  {resource}  {mode}  {chunks} 块 / {rows} 行  {createdAt}{result}',
    en: '{id}  {status}  {resource}  {mode}  {chunks} chunks / {rows} rows  {createdAt}{result}',
  },
  result: {
    'zh-CN': '  接收 {accepted}，拒收 {rejected}{ticket}',
    en: '  {accepted} accepted, {rejected} rejected{ticket}',
  },
  none: { 'zh-CN': '没有提交记录', en: 'no submissions' },
};

export default class DataStatus extends MinjiangCommand<DataStatusResult> {
  static override summary = 'Show a submission, or the latest submissions of the organisation.';
  static override description =
    'With an id: that submission — its state (open, committed, cancelled), the chunks the hub holds and, once committed, the result. Without: the latest submissions, newest first, optionally of one resource or in one state.';
  static override examples = [
    '<%= config.bin %> data status',
    '<%= config.bin %> data status 01JD… --json',
    '<%= config.bin %> data status --resource 3350010001/000001 --status open',
  ];
  static override args = { id: Args.string({ required: false, description: 'The submission id.' }) };
  static override flags = {
    ...hubFlags,
    resource: Flags.string({ char: 'r', summary: 'Only submissions of this resource.' }),
    status: Flags.string({
      summary: 'Only submissions in this state.',
      options: ['open', 'committed', 'cancelled'],
    }),
    limit: Flags.integer({ summary: 'At most this many submissions.', default: 20, min: 1, max: 500 }),
  };

  protected async execute(): Promise<DataStatusResult> {
    const { args, flags } = await this.parse(DataStatus);
    const { client } = await connectHub(flags, this.lang);
    try {
      if (args.id) return { items: [await client.data.getSubmission(args.id)] };
      const items: Submission[] = [];
      const query = {
        ...(flags.resource ? { resource: flags.resource } : {}),
        ...(flags.status ? { status: flags.status as Submission['status'] } : {}),
        limit: Math.min(flags.limit, 100),
      };
      for await (const submission of client.data.listSubmissions(query)) {
        items.push(submission);
        if (items.length >= flags.limit) break;
      }
      return { items };
    } finally {
      await client.close();
    }
  }

  protected render(result: DataStatusResult): void {
    if (result.items.length === 0) {
      process.stdout.write(`${say(TEXT.none, this.lang)}\n`);
      return;
    }
    for (const s of result.items) {
      const outcome = s.result
        ? say(TEXT.result, this.lang, { ...s.result, ticket: s.result.ticket ? `  ${s.result.ticket}` : '' })
        : '';
      process.stdout.write(
        `${say(TEXT.line, this.lang, { ...s, chunks: s.chunks.count, rows: s.chunks.rows, result: outcome })}\n`,
      );
    }
  }
}
