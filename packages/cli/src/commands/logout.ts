import { MinjiangCommand } from '../base-command.js';
import { hubFlags } from '../hub-connection.js';
import { say } from '../lang.js';

export type LogoutResult = { profile: string; hub: string | null; removed: boolean };

const TEXT = {
  removed: {
    'zh-CN': '✔ 已删除配置 {profile}（{hub}）的令牌',
    en: '✔ removed the token of profile {profile} ({hub})',
  },
  none: { 'zh-CN': '配置 {profile} 没有保存的令牌', en: 'profile {profile} had no saved token' },
};

export default class Logout extends MinjiangCommand<LogoutResult> {
  static override summary = 'Forget the token of a profile (keychain and credentials file).';
  static override examples = ['<%= config.bin %> logout', '<%= config.bin %> logout --profile city'];
  static override flags = { ...hubFlags };

  protected async execute(): Promise<LogoutResult> {
    const { flags } = await this.parse(Logout);
    const credentials = await import('../credentials/index.js');
    const resolved = await credentials.resolveCredentials({
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.hub ? { hub: flags.hub } : {}),
      env: {},
    });
    if (!resolved.hub) return { profile: resolved.profile, hub: null, removed: false };
    const removed = await credentials.deleteToken({ profile: resolved.profile, hub: resolved.hub });
    return { profile: resolved.profile, hub: resolved.hub, removed: Boolean(removed) };
  }

  protected render(result: LogoutResult): void {
    process.stdout.write(
      `${say(result.removed ? TEXT.removed : TEXT.none, this.lang, { ...result, hub: result.hub ?? '-' })}\n`,
    );
  }
}
