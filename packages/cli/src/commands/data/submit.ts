import { Args, Flags } from '@oclif/core';
import type { SubmitProgress, SubmitResult } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { requireDataFile } from '../../data-resource.js';
import { EXIT } from '../../exit-codes.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';
import { interactive, runSteps } from '../../ui/progress.js';

export type DataSubmitResult = SubmitResult & { seconds: number; rowsPerSecond: number };

const TEXT = {
  step: { 'zh-CN': '上传 {file}', en: 'Upload {file}' },
  created: { 'zh-CN': '提交 {id}', en: 'submission {id}' },
  progress: {
    'zh-CN': '{id}：{rows} 行 · {rate} 行/秒 · {chunks} 块{skipped} · {mb} MB',
    en: '{id}: {rows} rows · {rate} rows/s · {chunks} chunks{skipped} · {mb} MB',
  },
  skipped: { 'zh-CN': '（续传跳过 {n} 块）', en: ' ({n} skipped, resumed)' },
  commit: { 'zh-CN': '{id}：{rows} 行已上传，提交中…', en: '{id}: {rows} rows uploaded, committing…' },
  interrupted: {
    'zh-CN':
      '已中断。提交 {id} 仍可续传：\n  minjiang data submit {file} --resource {resource} --resume {id}',
    en: 'Interrupted. Submission {id} can be resumed:\n  minjiang data submit {file} --resource {resource} --resume {id}',
  },
  summary: {
    'zh-CN':
      '提交 {id}（{mode}）已提交到资源 {resource}：{rows} 行，接收 {accepted}，拒收 {rejected}；新增 {inserted}，更新 {updated}，未变 {unchanged}，删除 {deleted}，未找到 {missing}',
    en: 'Submission {id} ({mode}) committed to {resource}: {rows} rows, {accepted} accepted, {rejected} rejected; {inserted} inserted, {updated} updated, {unchanged} unchanged, {deleted} deleted, {missing} missing',
  },
  speed: {
    'zh-CN': '{chunks} 块，{mb} MB（压缩前 {rawMb} MB），{seconds} 秒，{rate} 行/秒',
    en: '{chunks} chunks, {mb} MB ({rawMb} MB before gzip), {seconds} s, {rate} rows/s',
  },
  receipt: {
    'zh-CN': '回执已用枢纽公钥 {keyId} 验证{pinned}，保存在 {saved}；数据块摘要 {digest}',
    en: 'Receipt verified with hub key {keyId}{pinned}, saved as {saved}; chunks digest {digest}',
  },
  pinnedNew: { 'zh-CN': '（首次使用，已固定）', en: ' (pinned on first use)' },
  ticket: {
    'zh-CN': '{rejected} 行被拒收，问题数据工单 {ticket}：minjiang feedback pull {ticket}',
    en: '{rejected} rows rejected, problem ticket {ticket}: minjiang feedback pull {ticket}',
  },
};

const MODES = ['incremental', 'full', 'delete'] as const;

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

export default class DataSubmit extends MinjiangCommand<DataSubmitResult> {
  static override summary =
    'Submit a data file to the hub: numbered, compressed, checksummed chunks, resumable.';
  static override description =
    "Creates a submission for the resource, uploads the file's rows in numbered gzip chunks with SM3 checksums (a few at a time), commits them (all or nothing) and verifies the hub's signed receipt with the hub key pinned in .minjiang/ next to the file. The hub validates every row itself: rejected rows become a problem ticket (see `feedback pull`). --mode full replaces the stored rows, delete removes the keys listed. An interrupted upload (Ctrl-C, a lost connection) resumes with --resume <id>: only the chunks the hub lacks are sent; a file changed since is refused. Exit codes: 0 committed with every row accepted, 1 committed with rejected rows (a ticket exists) or a receipt that does not verify, 130 interrupted (resumable).";
  static override examples = [
    '<%= config.bin %> data submit 人口.csv --resource 3350010001/000001',
    '<%= config.bin %> data submit 人口.xlsx --resource 3350010001/000001 --mode full',
    '<%= config.bin %> data submit 人口.csv --resource 3350010001/000001 --resume 01JD…',
    '<%= config.bin %> data submit 注销.csv --resource 3350010001/000001 --mode delete --json',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'The data file (CSV, JSON Lines, xlsx).' }),
  };
  static override flags = {
    ...hubFlags,
    resource: Flags.string({ char: 'r', summary: 'Code of the catalog resource.', required: true }),
    mode: Flags.string({
      summary:
        'incremental: upsert by the key items; full: replace the stored rows; delete: remove the keys listed.',
      options: [...MODES],
      default: 'incremental',
    }),
    resume: Flags.string({ summary: 'Resume this interrupted submission (same file).' }),
    'chunk-rows': Flags.integer({ summary: 'Rows per chunk.', default: 5000, min: 1, max: 100_000 }),
    encoding: Flags.string({
      summary: 'Text encoding of a CSV file (utf-8, gbk, gb18030); detected when absent.',
    }),
  };

  protected async execute(): Promise<DataSubmitResult> {
    const { args, flags } = await this.parse(DataSubmit);
    await requireDataFile(args.file, this.lang);
    const connection = await connectHub(flags, this.lang);
    const { submitDataFile } = await import('@minjiang/sdk');
    const started = Date.now();
    let submission: string | undefined;
    // Runs before the base command's handler, which exits 130.
    process.prependOnceListener('SIGINT', () => {
      if (submission)
        process.stderr.write(
          `\n${say(TEXT.interrupted, this.lang, { id: submission, file: args.file, resource: flags.resource })}\n`,
        );
    });
    const throttle = interactive() ? 200 : 2000;
    let last = 0;
    const describe = (progress: SubmitProgress): string => {
      const id = progress.submission ?? '';
      if (progress.phase === 'commit') return say(TEXT.commit, this.lang, { id, rows: progress.rows });
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      return say(TEXT.progress, this.lang, {
        id,
        rows: progress.rows.toLocaleString('en'),
        rate: Math.round(progress.rows / seconds).toLocaleString('en'),
        chunks: progress.chunks,
        skipped: progress.skipped > 0 ? say(TEXT.skipped, this.lang, { n: progress.skipped }) : '',
        mb: megabytes(progress.bytes),
      });
    };
    const steps = await runSteps<{ result?: SubmitResult }>(
      [
        {
          title: say(TEXT.step, this.lang, { file: args.file }),
          task: async (ctx, task) => {
            ctx.result = await submitDataFile(connection.client, args.file, {
              resource: flags.resource,
              mode: flags.mode as (typeof MODES)[number],
              chunkRows: flags['chunk-rows'],
              ...(flags.resume ? { resume: flags.resume } : {}),
              ...(flags.encoding ? { encoding: flags.encoding } : {}),
              onSubmission: (created) => {
                submission = created.id;
                task.output = say(TEXT.created, this.lang, { id: created.id });
              },
              onProgress: (progress) => {
                const now = Date.now();
                if (progress.phase === 'upload' && now - last < throttle) return;
                last = now;
                task.output = describe(progress);
              },
            });
          },
        },
      ],
      {},
      { quiet: this.json },
    );
    await connection.client.close();
    const result = steps.result!;
    const seconds = (Date.now() - started) / 1000;
    if (result.result.rejected > 0) this.exitCode = EXIT.invalid;
    return {
      ...result,
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: Math.round(result.result.rows / Math.max(seconds, 0.001)),
    };
  }

  protected render(result: DataSubmitResult): void {
    const commit = result.result;
    const lines = [
      say(TEXT.summary, this.lang, { ...commit, id: commit.submission }),
      say(TEXT.speed, this.lang, {
        chunks: result.chunks.total,
        mb: megabytes(result.chunks.bytes),
        rawMb: megabytes(result.chunks.rawBytes),
        seconds: result.seconds.toFixed(1),
        rate: result.rowsPerSecond.toLocaleString('en'),
      }),
      say(TEXT.receipt, this.lang, {
        keyId: result.receipt.keyId,
        pinned: result.receipt.pinned === 'new' ? say(TEXT.pinnedNew, this.lang) : '',
        saved: `.minjiang/${result.receipt.saved}`,
        digest: commit.chunksDigest,
      }),
    ];
    if (commit.ticket)
      lines.push(say(TEXT.ticket, this.lang, { rejected: commit.rejected, ticket: commit.ticket }));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
