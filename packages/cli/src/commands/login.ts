import { Flags } from '@oclif/core';
import { MinjiangCommand } from '../base-command.js';
import { UsageError } from '../exit-codes.js';
import { say } from '../lang.js';
import { readSecret } from '../ui/secret-input.js';
import type { Caller } from '@minjiang/sdk';

export type LoginResult = Caller & {
  profile: string;
  hub: string;
  store: string;
  location: string;
  /** Why the keychain was not used: switched off, unavailable (no daemon), or too slow. */
  fallback?: string;
};

const TEXT = {
  question: { 'zh-CN': '访问令牌（输入时不显示）：', en: 'Access token (not shown): ' },
  noHub: { 'zh-CN': '需要枢纽地址', en: 'a hub URL is needed' },
  noHubHint: {
    'zh-CN': '加 --hub https://枢纽地址，或先用该地址登录过此配置。',
    en: 'Pass --hub https://your-hub, or log in to this profile with a hub first.',
  },
  done: {
    'zh-CN': '✔ 已以 {org}（{roles}）身份登录 {hub}；配置 {profile}；令牌保存在{store}：{location}',
    en: '✔ logged in to {hub} as {org} ({roles}); profile {profile}; token kept in the {store}: {location}',
  },
  keychain: { 'zh-CN': '系统钥匙串', en: 'OS keychain' },
  file: {
    'zh-CN': '权限为 0600 的凭据文件（系统钥匙串不可用）',
    en: '0600 credentials file (no OS keychain available)',
  },
  fileOff: {
    'zh-CN': '权限为 0600 的凭据文件（MINJIANG_KEYRING=off）',
    en: '0600 credentials file (MINJIANG_KEYRING=off)',
  },
};

export default class Login extends MinjiangCommand<LoginResult> {
  static override summary = 'Log in to a hub: check a token and keep it in the OS keychain.';
  static override description =
    'Reads the token from a hidden prompt, or from stdin with --with-token; never from the command line. The token is checked against the hub, then kept in the OS keychain, or, where no keychain runs (servers, CI), in a credentials file readable only by you. In CI, prefer the MINJIANG_TOKEN environment variable.';
  static override examples = [
    '<%= config.bin %> login --hub https://hub.example.gov.cn',
    'cat token.txt | <%= config.bin %> login --hub http://127.0.0.1:8750 --profile local --with-token',
  ];
  static override flags = {
    hub: Flags.string({ summary: 'Base URL of the hub.', env: 'MINJIANG_HUB' }),
    profile: Flags.string({ summary: 'Profile name, for several hubs.', default: 'default' }),
    'with-token': Flags.boolean({ summary: 'Read the token from stdin.' }),
  };

  protected async execute(): Promise<LoginResult> {
    const { flags } = await this.parse(Login);
    const credentials = await import('../credentials/index.js');
    const known = (await credentials.listProfiles()).find((profile) => profile.name === flags.profile);
    const hub = flags.hub ?? known?.hub;
    if (!hub)
      throw new UsageError('NO-HUB', say(TEXT.noHub, this.lang), { hint: say(TEXT.noHubHint, this.lang) });
    const token = await readSecret({
      piped: flags['with-token'],
      question: say(TEXT.question, this.lang),
      lang: this.lang,
    });
    const { HubClient } = await import('@minjiang/sdk');
    const caller = await new HubClient({ baseURL: hub, token }).whoami();
    const saved = await credentials.saveToken({ profile: flags.profile, hub, token });
    await credentials.setProfile(flags.profile, { hub });
    const fallback = saved.fallback ? { fallback: saved.fallback.reason } : {};
    return {
      ...caller,
      profile: flags.profile,
      hub,
      store: saved.store,
      location: saved.location,
      ...fallback,
    };
  }

  protected render(result: LoginResult): void {
    const file = result.fallback === 'off' ? TEXT.fileOff : TEXT.file;
    const store = say(result.store === 'keychain' ? TEXT.keychain : file, this.lang);
    const org = result.organisation?.name ?? result.organisation?.id ?? '-';
    process.stdout.write(
      `${say(TEXT.done, this.lang, { ...result, org, store, roles: result.roles.join(', ') })}\n`,
    );
  }
}
