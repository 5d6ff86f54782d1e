import { Args, Flags } from '@oclif/core';
import type { PackageFileVerification } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export type PackageVerifyResult = PackageFileVerification & {
  /** The key id of the pinned hub key used (--hub-key), when one was. */
  hubKeyId?: string;
};

const TEXT = {
  ok: {
    'zh-CN':
      '✔ 数据包 {file} 有效：{id}，授权 {grant}，接收方 {recipient}；{files} 个文件，{rows} 行；签名者 {signedBy}',
    en: '✔ package {file} is valid: {id}, grant {grant}, recipient {recipient}; {files} file(s), {rows} row(s); signed by {signedBy}',
  },
  bad: {
    'zh-CN': '✖ 数据包 {file} 未通过验证（{count} 项问题），不要使用其中的数据：',
    en: '✖ package {file} failed verification ({count} problem(s)); do not use its data:',
  },
  failure: {
    'zh-CN': '  [第 {step} 步] {code} {where}{message}',
    en: '  [step {step}] {code} {where}{message}',
  },
  hint: { 'zh-CN': '      处理：{hint}', en: '      Fix: {hint}' },
  noKey: {
    'zh-CN': '没有用于验证签名的公钥',
    en: 'no public key to verify the signature with',
  },
  noKeyHint: {
    'zh-CN': '用 --key <十六进制 SM2 公钥> 给出授权方的公钥，或用 --hub-key 使用已固定的枢纽公钥。',
    en: "Give the assigner's SM2 key with --key <hex>, or --hub-key for the pinned hub key.",
  },
  badKey: { 'zh-CN': '“{key}”不是十六进制的 SM2 公钥', en: '"{key}" is not a hex SM2 public key' },
  badKeyHint: {
    'zh-CN': '未压缩的 SM2 公钥为 04 开头的 130 位十六进制数（GET /api/v1/hub/key 的 publicKey）。',
    en: 'An uncompressed SM2 public key is 130 hex digits starting 04 (publicKey of GET /api/v1/hub/key).',
  },
  notPinned: { 'zh-CN': '尚未固定枢纽 {hub} 的公钥', en: 'no key is pinned for hub {hub}' },
  notPinnedHint: {
    'zh-CN':
      '在本目录运行一次 `minjiang share credentials` 或 `minjiang catalog apply`（首次使用即固定），或改用 --key。',
    en: 'Run `minjiang share credentials` or `minjiang catalog apply` in this folder once (pinned on first use), or use --key.',
  },
};

export default class PackageVerify extends MinjiangCommand<PackageVerifyResult> {
  static override summary =
    'Verify a data package (.ses.zip) offline: signature, BagIt manifests, datapackage.json.';
  static override description =
    'Runs the verification algorithm of the exchange standard §8.8 on a decrypted ses-bag: the DSSE signature over tagmanifest-sm3.txt with the keys given, the tag manifest, both payload manifests (SM3 and SHA-512) with no unlisted file anywhere, Payload-Oxum, datapackage.json (safe paths, resource bytes and hash), and the grant and recipient when given. Every problem is listed with its step, code and file. Exit codes: 0 valid, 1 invalid, 2 usage (no key, a malformed key, no pinned hub key).';
  static override examples = [
    '<%= config.bin %> package verify urn_ses_pkg_350000_2025_000456.ses.zip --hub-key',
    '<%= config.bin %> package verify pkg.ses.zip --key 04ab… --grant urn:ses:grant:350000:2025:000123 --json',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'The package file (.ses.zip).' }),
  };
  static override flags = {
    key: Flags.string({
      summary: 'An SM2 public key (hex) allowed to sign the package: the assigner or the hub. Repeatable.',
      multiple: true,
      env: 'MINJIANG_PACKAGE_KEY',
    }),
    'hub-key': Flags.boolean({
      summary: 'Also trust the hub key pinned in .minjiang/ (as receipts are verified).',
      env: 'MINJIANG_PACKAGE_HUB_KEY',
    }),
    grant: Flags.string({ summary: 'The grant the package must be under.', env: 'MINJIANG_GRANT' }),
    recipient: Flags.string({ summary: 'The member the package must be for.', env: 'MINJIANG_RECIPIENT' }),
    ...hubFlags,
  };

  protected async execute(): Promise<PackageVerifyResult> {
    const { args, flags } = await this.parse(PackageVerify);
    const keys = (flags.key ?? []).map((key) => this.checkKey(key));
    const hubKey = flags['hub-key'] ? await this.hubKey(flags) : undefined;
    if (hubKey) keys.push(hubKey.publicKey);
    if (keys.length === 0) {
      throw new UsageError('PACKAGE-NO-KEY', say(TEXT.noKey, this.lang), {
        hint: say(TEXT.noKeyHint, this.lang),
      });
    }
    const expect = {
      ...(flags.grant ? { grant: flags.grant } : {}),
      ...(flags.recipient ? { recipient: flags.recipient } : {}),
    };
    const { verifyPackageFile } = await import('@minjiang/sdk');
    const result = await verifyPackageFile(args.file, { publicKeys: keys, expect, lang: this.lang });
    if (!result.ok) this.exitCode = EXIT.invalid;
    return hubKey ? { ...result, hubKeyId: hubKey.keyId } : result;
  }

  private checkKey(key: string): string {
    if (/^04[0-9a-fA-F]{128}$/.test(key)) return key;
    throw new UsageError('PACKAGE-KEY', say(TEXT.badKey, this.lang, { key }), {
      hint: say(TEXT.badKeyHint, this.lang),
    });
  }

  /** The pinned hub key, read offline: connecting needs no token and sends nothing. */
  private async hubKey(flags: { hub?: string | undefined; profile?: string | undefined }) {
    const { hub } = await connectHub(flags, this.lang, { requireToken: false });
    const { pinnedHubKey } = await import('@minjiang/sdk');
    const key = await pinnedHubKey(hub, process.cwd());
    if (key) return key;
    throw new UsageError('PACKAGE-HUB-KEY', say(TEXT.notPinned, this.lang, { hub }), {
      hint: say(TEXT.notPinnedHint, this.lang),
    });
  }

  protected render(result: PackageVerifyResult): void {
    if (result.ok) {
      const signedBy = result.signedBy.join(', ');
      process.stdout.write(`${say(TEXT.ok, this.lang, { ...result, signedBy })}\n`);
      return;
    }
    const lines = [say(TEXT.bad, this.lang, { file: result.file, count: result.failures.length })];
    for (const failure of result.failures) {
      const where = failure.file ? `${failure.file}: ` : '';
      lines.push(say(TEXT.failure, this.lang, { ...failure, where }));
      if (failure.hint) lines.push(say(TEXT.hint, this.lang, { hint: failure.hint }));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
