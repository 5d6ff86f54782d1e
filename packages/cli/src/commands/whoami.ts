import { MinjiangCommand } from '../base-command.js';
import { connectHub, hubFlags } from '../hub-connection.js';
import { say } from '../lang.js';
import type { Caller } from '@minjiang/sdk';

export type WhoamiResult = Caller & { profile: string; hub: string; source: string };

const TEXT = {
  'zh-CN': '{org}（{orgId}）在 {hub}；角色：{roles}；配置 {profile}；令牌来自 {source}',
  en: '{org} ({orgId}) at {hub}; roles: {roles}; profile {profile}; token from {source}',
};

export default class Whoami extends MinjiangCommand<WhoamiResult> {
  static override summary = 'Show the organisation and roles of the token in use, and where it came from.';
  static override examples = ['<%= config.bin %> whoami', '<%= config.bin %> whoami --profile city --json'];
  static override flags = { ...hubFlags };

  protected async execute(): Promise<WhoamiResult> {
    const { flags } = await this.parse(Whoami);
    const connection = await connectHub(flags, this.lang);
    const caller = await connection.client.whoami();
    return { ...caller, profile: connection.profile, hub: connection.hub, source: connection.source };
  }

  protected render(result: WhoamiResult): void {
    const org = result.organisation;
    const params = {
      ...result,
      org: org?.name ?? '-',
      orgId: org?.id ?? '-',
      roles: result.roles.join(', '),
    };
    process.stdout.write(`${say(TEXT, this.lang, params)}\n`);
  }
}
