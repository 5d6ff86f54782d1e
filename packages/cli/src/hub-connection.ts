import { Flags } from '@oclif/core';
import type { Lang } from '@minjiang/standards';
import type { HubClient } from '@minjiang/sdk';
import { CredentialsError } from './exit-codes.js';
import { say } from './lang.js';

/** Flags of every command that talks to a hub. Tokens never travel as flags. */
export const hubFlags = {
  hub: Flags.string({ summary: 'Base URL of the hub (overrides the profile).', env: 'MINJIANG_HUB' }),
  profile: Flags.string({ summary: 'Named profile (see `minjiang login`).', env: 'MINJIANG_PROFILE' }),
};

const NO_HUB = {
  'zh-CN': '不知道要连接哪个枢纽',
  en: 'no hub to talk to',
};
const NO_HUB_HINT = {
  'zh-CN': '先运行 `minjiang login --hub <地址>`，或加 --hub，或设置 MINJIANG_HUB。',
  en: 'Run `minjiang login --hub <url>` first, or pass --hub, or set MINJIANG_HUB.',
};
const NO_TOKEN = {
  'zh-CN': '没有枢纽 {hub} 的访问令牌（配置 {profile}）',
  en: 'no token for hub {hub} (profile {profile})',
};
const NO_TOKEN_HINT = {
  'zh-CN': '运行 `minjiang login`，或在 CI 中设置环境变量 MINJIANG_TOKEN。',
  en: 'Run `minjiang login`, or set MINJIANG_TOKEN in CI.',
};

export interface HubConnection {
  client: HubClient;
  hub: string;
  profile: string;
  source: string;
}

/** The hub client for a command: profile and flags give the hub, the credential store the token. */
export async function connectHub(
  flags: { hub?: string | undefined; profile?: string | undefined },
  lang: Lang,
  options: { requireToken?: boolean } = {},
): Promise<HubConnection> {
  const { resolveCredentials } = await import('./credentials/index.js');
  const credentials = await resolveCredentials({
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.hub ? { hub: flags.hub } : {}),
  });
  if (!credentials.hub) {
    throw new CredentialsError('NO-HUB', say(NO_HUB, lang), { hint: say(NO_HUB_HINT, lang) });
  }
  if (options.requireToken !== false && !credentials.token) {
    throw new CredentialsError('NO-TOKEN', say(NO_TOKEN, lang, credentials), {
      hint: say(NO_TOKEN_HINT, lang),
    });
  }
  const { HubClient } = await import('@minjiang/sdk');
  const client = new HubClient({ baseURL: credentials.hub, token: credentials.token, lang });
  return { client, hub: credentials.hub, profile: credentials.profile, source: credentials.source };
}
