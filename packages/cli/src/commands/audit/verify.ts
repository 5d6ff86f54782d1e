import { Args, Flags } from '@oclif/core';
import type { AuditVerification } from '@minjiang/standards';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { say } from '../../lang.js';

export type AuditVerifyResult = AuditVerification & { file: string; publicKeyChecked: boolean };

const TEXT = {
  ok: {
    'zh-CN': '✔ 审计日志导出 {file} 完整：{size} 条，链哈希 {chainHash}，{checkpoints} 个检查点签名有效',
    en: '✔ audit export {file} is intact: {size} entries, chain hash {chainHash}, {checkpoints} checkpoint signature(s) valid',
  },
  bad: {
    'zh-CN': '✖ 审计日志导出 {file} 在第 {seq} 条失败：{reason}{detail}',
    en: '✖ audit export {file} fails at entry {seq}: {reason}{detail}',
  },
  unkeyed: {
    'zh-CN': '  注意：未给出枢纽公钥（--public-key），检查点签名只对照导出文件自带的公钥。',
    en: '  Note: no hub public key given (--public-key); checkpoint signatures were checked against the key the export names.',
  },
};

export default class AuditVerify extends MinjiangCommand<AuditVerifyResult> {
  static override summary =
    'Verify an audit-log export offline: hash chain, evidence and signed checkpoints.';
  static override description =
    'Checks every entry of a JSON Lines export from GET /api/v1/audit/export: the SM3 hash chain, each evidence bundle against its leaf, and every checkpoint signature (SM2) against the hub public key. Exit code 1 at the first entry that fails.';
  static override examples = [
    '<%= config.bin %> audit verify audit-export.jsonl --public-key 04ab…',
    '<%= config.bin %> audit verify audit-export.jsonl --json',
  ];
  static override args = { export: Args.string({ required: true, description: 'The JSON Lines export.' }) };
  static override flags = {
    'public-key': Flags.string({
      summary: 'The hub public key (hex, from GET /api/v1/hub/key) the checkpoints must be signed with.',
      env: 'MINJIANG_HUB_PUBLIC_KEY',
    }),
  };

  protected async execute(): Promise<AuditVerifyResult> {
    const { args, flags } = await this.parse(AuditVerify);
    const { verifyAuditExportFile } = await import('@minjiang/sdk');
    const key = flags['public-key'];
    const verification = await verifyAuditExportFile(args.export, key ? { publicKey: key } : {});
    if (!verification.ok) this.exitCode = EXIT.invalid;
    return { ...verification, file: args.export, publicKeyChecked: key !== undefined };
  }

  protected render(result: AuditVerifyResult): void {
    if (result.ok) {
      process.stdout.write(`${say(TEXT.ok, this.lang, { ...result })}\n`);
      if (!result.publicKeyChecked) process.stdout.write(`${say(TEXT.unkeyed, this.lang)}\n`);
      return;
    }
    const detail = result.detail ? ` (${result.detail})` : '';
    process.stdout.write(`${say(TEXT.bad, this.lang, { ...result, detail })}\n`);
  }
}
