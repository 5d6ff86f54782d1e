import { Flags } from '@oclif/core';
import { cascadeParentStatus, type CascadeParentStatus } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { parentLines, relayedError, stateExit } from '../../cascade/registry.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say, type Text } from '../../lang.js';

const T: Record<string, Text> = {
  sync: {
    'zh-CN': '    省级同步：游标 {cursor}，对方最新 {head}，上次同步 {at}',
    en: '    province sync: cursor {cursor}, head {head}, last sync {at}',
  },
  never: { 'zh-CN': '    省级平台尚未同步本平台目录', en: '    the province has not synced this hub yet' },
  error: { 'zh-CN': '    上次同步出错：{error}', en: '    last sync error: {error}' },
  blocked: {
    'zh-CN': '    同步被大批量删除保护拦截，等待省级管理员确认',
    en: '    sync stopped by the mass-delete guard, waiting for the provincial administrator',
  },
  stored: {
    'zh-CN': '    （未询问上级平台，显示本地记录）',
    en: '    (the parent was not asked; as stored here)',
  },
};

export default class CascadeStatus extends MinjiangCommand<CascadeParentStatus> {
  static override summary = "This city hub's registration with its parent, as the parent sees it now.";
  static override description = `Run against the city hub (administrator or auditor token). The city hub asks its parent with a request signed by its node key, records the state, and — when the parent answers APPROVED — pins the parent's node key (refusing a key other than the one presented at registration). --no-refresh shows what the city holds without asking. Exit codes: 0 approved; 7 waiting for approval; 3 rejected or revoked, or the parent presents another key; 1 not registered yet or not a city hub; 6 the parent unreachable. See docs/cascade-registry.md.`;
  static override examples = ['<%= config.bin %> cascade status', '<%= config.bin %> cascade status --json'];
  static override flags = {
    ...hubFlags,
    refresh: Flags.boolean({
      summary: 'Ask the parent now (default); --no-refresh shows what this hub holds.',
      default: true,
      allowNo: true,
    }),
  };

  protected async execute(): Promise<CascadeParentStatus> {
    const { flags } = await this.parse(CascadeStatus);
    const { client } = await connectHub(flags, this.lang);
    try {
      const status = await cascadeParentStatus(client, { refresh: flags.refresh }, { lang: this.lang });
      this.exitCode = stateExit(status.parent.state);
      return status;
    } catch (error) {
      throw relayedError(error, this.lang);
    } finally {
      await client.close();
    }
  }

  protected render(status: CascadeParentStatus): void {
    const lines = parentLines(status.parent, this.lang);
    const remote = status.remote;
    if (!remote) lines.push(say(T.stored!, this.lang));
    else if (remote.lastSyncAt === null) lines.push(say(T.never!, this.lang));
    else
      lines.push(
        say(T.sync!, this.lang, {
          cursor: remote.cursor ?? 0,
          head: remote.head ?? 0,
          at: remote.lastSyncAt,
        }),
      );
    if (remote?.lastError) lines.push(say(T.error!, this.lang, { error: JSON.stringify(remote.lastError) }));
    if (remote?.blocked) lines.push(say(T.blocked!, this.lang));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
