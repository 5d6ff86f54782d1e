import { resolve, join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { BuiltPackage, PackageFileVerification, PackageReceipt } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { say } from '../../lang.js';
import { exchangeFlags, grantSignerKeys, withExchange } from '../../share/exchange-connection.js';

export interface ShareDownloadResult {
  grant: string;
  package: BuiltPackage;
  file: string;
  bytes: number;
  /** `sm3:` of the file written: what the receipt confirmed. */
  digest: string;
  verification: Omit<PackageFileVerification, 'file'>;
  /** Sent only for a package that verified; null otherwise. */
  receipt: PackageReceipt | null;
}

const TEXT = {
  ok: {
    'zh-CN': '✔ 数据包 {id} 已下载到 {file}：{rows} 行，{bytes} 字节，签名者 {signedBy}；已回执（{status}）',
    en: '✔ package {id} downloaded to {file}: {rows} row(s), {bytes} bytes, signed by {signedBy}; receipt sent ({status})',
  },
  bad: {
    'zh-CN': '✖ 数据包 {id}（{file}）未通过验证，未回执，不要使用其中的数据：',
    en: '✖ package {id} ({file}) failed verification; no receipt was sent; do not use its data:',
  },
  failure: {
    'zh-CN': '  [第 {step} 步] {code} {where}{message}',
    en: '  [step {step}] {code} {where}{message}',
  },
  building: { 'zh-CN': '正在请枢纽生成数据包…', en: 'asking the hub to build the package…' },
};

export default class ShareDownload extends MinjiangCommand<ShareDownloadResult> {
  static override summary =
    'Download the data package of a PACKAGE grant, verify it offline, and confirm receipt.';
  static override description =
    'Asks the hub to build the package (POST /ses/r1/packages), streams the zip to <out>/<id>.ses.zip, verifies it offline (signature with the hub key pinned in .minjiang/ — for a grant of another hub, that hub’s key as the grant’s view names it — BagIt manifests, datapackage.json, grant and recipient), and only then sends the receipt with its SM3 digest. Exit codes: 0 verified and received, 1 the package failed verification (no receipt), 2 no pinned hub key, 3 refused, 5 quota or rate limit.';
  static override examples = [
    '<%= config.bin %> share download urn:ses:grant:350000:2026:3 --out packages/',
    '<%= config.bin %> share download urn:ses:grant:350000:2026:3 --json',
  ];
  static override args = {
    grant: Args.string({ required: true, description: 'The grant id (a PACKAGE grant).' }),
  };
  static override flags = {
    ...exchangeFlags,
    out: Flags.string({
      char: 'o',
      summary: 'The folder to write the package to (default: here).',
      default: '.',
    }),
  };

  protected async execute(): Promise<ShareDownloadResult> {
    const { args, flags } = await this.parse(ShareDownload);
    // A package under another hub's grant is signed by that hub, not by the one pinned here.
    const signerKeys = await grantSignerKeys(args.grant, flags, this.lang);
    return withExchange(args.grant, flags, this.lang, async ({ exchange }) => {
      this.note(say(TEXT.building, this.lang));
      const built = await exchange.buildPackage();
      const file = join(resolve(flags.out), `${built.id.replace(/[:/\\]/g, '_')}.ses.zip`);
      const got = await exchange.downloadPackage(built.id, file, {
        stateDir: process.cwd(),
        lang: this.lang,
        ...(signerKeys.length > 0 ? { publicKeys: signerKeys } : {}),
      });
      // The file is the result's own `file`; the verification need not repeat it.
      const verification: ShareDownloadResult['verification'] = { ...got.verification };
      delete (verification as Partial<PackageFileVerification>).file;
      if (!verification.ok) this.exitCode = EXIT.invalid;
      const receipt = verification.ok ? await exchange.sendReceipt(built.id, got.digest) : null;
      return {
        grant: args.grant,
        package: built,
        file,
        bytes: got.bytes,
        digest: got.digest,
        verification,
        receipt,
      };
    });
  }

  protected render(result: ShareDownloadResult): void {
    const { verification, receipt } = result;
    if (receipt) {
      const params = {
        ...result.package,
        file: result.file,
        signedBy: verification.signedBy.join(', '),
        status: receipt.status,
      };
      process.stdout.write(`${say(TEXT.ok, this.lang, params)}\n`);
      return;
    }
    const lines = [say(TEXT.bad, this.lang, { id: result.package.id, file: result.file })];
    for (const failure of verification.failures) {
      lines.push(
        say(TEXT.failure, this.lang, { ...failure, where: failure.file ? `${failure.file}: ` : '' }),
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
