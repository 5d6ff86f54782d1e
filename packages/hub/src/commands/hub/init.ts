import { Command, Flags } from '@oclif/core';
import { hubFlags, warnPasswordInArgv } from '../../cli-flags.js';

export type HubInitResult = {
  created: string[];
  skipped: string[];
  adminToken: { id: string; token: string; orgId: string } | null;
};

export default class HubInit extends Command {
  static override summary =
    'Create the province, its ten city platforms and the provincial departments, and an admin token.';
  static override description =
    'Organisations come from the code tables of @minjiang/standards. The admin token is printed once: store it in a password manager or your CI secrets now. Running init again skips what exists; --new-admin-token issues another admin token.';
  static override examples = ['<%= config.bin %> hub init', '<%= config.bin %> hub init --json'];
  static override enableJsonFlag = true;
  static override flags = {
    ...hubFlags,
    'new-admin-token': Flags.boolean({
      summary: 'Issue a new admin token even if the hub was initialised before.',
      default: false,
    }),
  };

  public async run(): Promise<HubInitResult> {
    const { flags } = await this.parse(HubInit);
    warnPasswordInArgv(this.argv, (message) => this.warn(message));
    const { loadConfig, createServer, initialiseHub } = await import('../../index.js');
    const config = loadConfig({
      ...(flags['data-dir'] ? { dataDir: flags['data-dir'] } : {}),
      ...(flags['database-url'] ? { databaseUrl: flags['database-url'] } : {}),
      ...(flags['hub-code'] ? { hubCode: flags['hub-code'] } : {}),
      logLevel: 'silent',
    });
    const hub = await createServer(config);
    await hub.ready();
    try {
      const result = await initialiseHub(hub, {
        ...(flags['new-admin-token'] ? { issueAdminToken: true } : {}),
      });
      this.log(`已创建 ${result.created.length} 个机构，跳过已存在的 ${result.skipped.length} 个。`);
      if (result.adminToken) {
        this.log(
          `管理员令牌（仅显示一次，请立即妥善保存）admin token (shown once):\n${result.adminToken.token}`,
        );
      }
      return result;
    } finally {
      await hub.close();
    }
  }
}
