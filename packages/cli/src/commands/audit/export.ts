import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import type { AuditExportDownload } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export type AuditExportResult = AuditExportDownload;

const TEXT = {
  ok: {
    'zh-CN': '✔ 审计日志第 {from}–{to} 条（{entries} 条，{bytes} 字节，{digest}）已导出到 {file}',
    en: '✔ audit log entries {from}–{to} ({entries} entries, {bytes} bytes, {digest}) exported to {file}',
  },
  next: {
    'zh-CN': '  离线验证：minjiang audit verify {file} --public-key <枢纽公钥>',
    en: '  verify offline: minjiang audit verify {file} --public-key <hub public key>',
  },
};

export default class AuditExport extends MinjiangCommand<AuditExportResult> {
  static override summary =
    'Export the hub’s audit log (auditor token) to a JSON Lines file for offline verification.';
  static override description =
    'Streams GET /api/v1/audit/export — a header, the entries of the range with their evidence, and the signed checkpoints — to a file, then prints its range and SM3 digest. Only the auditor role may export (exit 3 otherwise). Check the file with `minjiang audit verify`.';
  static override examples = [
    '<%= config.bin %> audit export --out audit.jsonl',
    '<%= config.bin %> audit export --from 1000 --to 2000 --json',
  ];
  static override flags = {
    ...hubFlags,
    out: Flags.string({
      char: 'o',
      summary: 'The file to write (default: audit-export.jsonl here).',
      default: 'audit-export.jsonl',
    }),
    from: Flags.integer({ summary: 'The first entry (default 1).', min: 1 }),
    to: Flags.integer({ summary: 'The last entry (default: the committed head).', min: 0 }),
  };

  protected async execute(): Promise<AuditExportResult> {
    const { flags } = await this.parse(AuditExport);
    const { client } = await connectHub(flags, this.lang);
    try {
      const { downloadAuditExport } = await import('@minjiang/sdk');
      const range = {
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
      };
      return await downloadAuditExport(client, resolve(flags.out), range);
    } finally {
      await client.close();
    }
  }

  protected render(result: AuditExportResult): void {
    process.stdout.write(
      `${say(TEXT.ok, this.lang, { ...result })}\n${say(TEXT.next, this.lang, { ...result })}\n`,
    );
  }
}
