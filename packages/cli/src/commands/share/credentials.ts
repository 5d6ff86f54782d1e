import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { CredentialInfo, GrantView, HubClient } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';
import { statusLines, statusOf, type ShareStatus } from '../../share/next-step.js';
import { printLines, withHub } from '../../share/render.js';

export interface ShareCredentialsResult {
  action: 'issue' | 'rotate' | 'list' | 'revoke' | 'none';
  /** The grant, its signed envelope verified with the pinned hub key; null before approval. */
  grant: {
    id: string;
    application: string;
    status: GrantView['status'];
    resourceCode: string;
    mode: GrantView['mode'];
    items: string[];
    validFrom: string;
    validTo: string;
    verified: true;
    keyId: string;
    pinned: 'new' | 'match';
  } | null;
  /** Issued now: the secret is in this result only, never shown again (none for an SM2 key). */
  issued?: { appKey: string; secret?: string; alg: 'hmac-sm3' | 'sm2-sm3'; createdAt: string };
  credentials?: CredentialInfo[];
  revoked?: CredentialInfo;
  /** With --save: where the issued key and secret were kept for `share query | verify | download`. */
  saved?: { store: 'keychain' | 'file'; location: string };
  /** Without a grant yet: where the application stands. */
  status?: ShareStatus;
}

const TEXT = {
  verified: {
    'zh-CN': '授权 {id}（{status}）签名已用枢纽公钥 {keyId} 验证{pinned}',
    en: 'grant {id} ({status}) signature verified with hub key {keyId}{pinned}',
  },
  pinnedNew: { 'zh-CN': '（首次使用，已固定）', en: ' (pinned on first use)' },
  once: {
    'zh-CN': '注意：密钥只显示这一次，请立即存入安全位置；遗失后只能用 --rotate 更换。',
    en: 'Note: the secret is shown this once; store it safely now. If lost, replace it with --rotate.',
  },
  issued: { 'zh-CN': 'appKey: {appKey}\nsecret: {secret}', en: 'appKey: {appKey}\nsecret: {secret}' },
  issuedSm2: {
    'zh-CN': 'appKey: {appKey}（SM2 公钥已登记，调用用对应私钥签名）',
    en: 'appKey: {appKey} (SM2 public key registered: sign calls with its private key)',
  },
  item: {
    'zh-CN': '{appKey}  {status}  签发 {createdAt}{revoked}',
    en: '{appKey}  {status}  issued {createdAt}{revoked}',
  },
  revokedAt: { 'zh-CN': '  撤销 {revokedAt}', en: '  revoked {revokedAt}' },
  none: { 'zh-CN': '没有凭证', en: 'no credentials' },
  noGrant: { 'zh-CN': '申请 {id} 还没有授权', en: 'application {id} has no grant yet' },
};

export default class ShareCredentials extends MinjiangCommand<ShareCredentialsResult> {
  static override summary = 'Issue (once), rotate, list or revoke the credential of a grant.';
  static override description =
    'Takes a grant id or an application id. The grant’s signed envelope is verified first with the hub key pinned in .minjiang/ (trust on first use). The app key and secret are printed once on stdout; the secret is never written to stderr or logs. A second issue is refused while a credential is active: use --rotate (the old one stops at once). Exit 7 when the application has no grant yet and is still pending.';
  static override examples = [
    '<%= config.bin %> share credentials urn:ses:app:350000:2026:1',
    '<%= config.bin %> share credentials urn:ses:grant:350000:2026:1 --rotate --json',
    '<%= config.bin %> share credentials urn:ses:grant:350000:2026:1 --revoke ak_3f2a…',
    '<%= config.bin %> share credentials urn:ses:grant:350200:2026:1 --public-key 04ab…',
  ];
  static override args = {
    id: Args.string({ required: true, description: 'A grant id, or the application id.' }),
  };
  static override flags = {
    ...hubFlags,
    rotate: Flags.boolean({
      summary: 'Issue a new credential and revoke the active one.',
      exclusive: ['revoke', 'list'],
    }),
    revoke: Flags.string({
      summary: 'Revoke the credential with this app key.',
      exclusive: ['rotate', 'list'],
    }),
    list: Flags.boolean({
      summary: 'List the credentials (never their secrets).',
      exclusive: ['rotate', 'revoke'],
    }),
    save: Flags.boolean({
      summary:
        'Keep the issued key and secret for share query/verify/download (OS keychain, else a 0600 file).',
      exclusive: ['revoke', 'list', 'public-key'],
    }),
    'public-key': Flags.string({
      summary:
        'Register this SM2 public key (04 + 128 hex) instead of an HMAC secret; the only kind a grant of another hub takes.',
      exclusive: ['revoke', 'list', 'save'],
    }),
  };

  protected async execute(): Promise<ShareCredentialsResult> {
    const { args, flags } = await this.parse(ShareCredentials);
    return withHub(flags, this.lang, async (client) => {
      const grantId = await this.grantOf(client, args.id);
      if (typeof grantId !== 'string') return grantId;
      const grant = await this.verified(client, grantId);
      if (flags.list)
        return { action: 'list', grant, credentials: await client.sharing.listCredentials(grantId) };
      if (flags.revoke)
        return {
          action: 'revoke',
          grant,
          revoked: await client.sharing.revokeCredential(grantId, flags.revoke),
        };
      const publicKey = flags['public-key'];
      const { appKey, secret, createdAt } = await client.sharing.issueCredential(grantId, {
        rotate: flags.rotate,
        ...(publicKey !== undefined ? { publicKey } : {}),
      });
      const action = flags.rotate ? ('rotate' as const) : ('issue' as const);
      if (secret === undefined) return { action, grant, issued: { appKey, alg: 'sm2-sm3', createdAt } };
      const { saveIssuedCredential } = await import('../../share/grant-credentials.js');
      const saved = flags.save
        ? { saved: await saveIssuedCredential(client, grantId, { appKey, secret }, this.lang) }
        : {};
      return { action, grant, issued: { appKey, secret, alg: 'hmac-sm3', createdAt }, ...saved };
    });
  }

  /** The grant id; for an application without one, the result saying where it stands (exit 7 or 1). */
  private async grantOf(client: HubClient, id: string): Promise<string | ShareCredentialsResult> {
    if (id.startsWith('urn:ses:grant:')) return id;
    const app = await client.sharing.getApplication(id);
    if (app.grant) return app.grant;
    const { decisionOf } = await import('@minjiang/sdk');
    this.exitCode = decisionOf(app.state) === 'refused' ? EXIT.invalid : EXIT.pending;
    this.note(say(TEXT.noGrant, this.lang, { ...app }));
    return { action: 'none', grant: null, status: statusOf(app) };
  }

  private async verified(
    client: HubClient,
    id: string,
  ): Promise<NonNullable<ShareCredentialsResult['grant']>> {
    const { checkGrant } = await import('@minjiang/sdk');
    const view = await client.sharing.getGrant(id);
    const check = await checkGrant(client, view, { stateDir: join(process.cwd(), '.minjiang') });
    const { application, status, resourceCode, mode, items, validFrom, validTo } = view;
    const grant = { id, application, status, resourceCode, mode, items, validFrom, validTo };
    const pinned = check.pinned === 'new' ? say(TEXT.pinnedNew, this.lang) : '';
    this.note(say(TEXT.verified, this.lang, { ...grant, keyId: check.keyId, pinned }));
    return { ...grant, verified: true, keyId: check.keyId, pinned: check.pinned };
  }

  /** The secret goes to stdout only; the warning that it is not shown again goes to stderr. */
  protected override async emit(result: ShareCredentialsResult): Promise<void> {
    if (result.issued?.secret !== undefined) this.note(say(TEXT.once, this.lang));
    await super.emit(result);
  }

  protected render(result: ShareCredentialsResult): void {
    if (result.status) return printLines(statusLines(result.status, this.lang));
    if (result.issued)
      return printLines([
        say(result.issued.secret === undefined ? TEXT.issuedSm2 : TEXT.issued, this.lang, {
          ...result.issued,
        }),
      ]);
    const list = result.revoked ? [result.revoked] : (result.credentials ?? []);
    if (list.length === 0) return printLines([say(TEXT.none, this.lang)]);
    const line = (c: CredentialInfo) =>
      say(TEXT.item, this.lang, {
        ...c,
        revoked: c.revokedAt ? say(TEXT.revokedAt, this.lang, { ...c }) : '',
      });
    printLines(list.map(line));
  }
}
