import { Command } from '@oclif/core';
import { hubFlags, warnPasswordInArgv } from '../../cli-flags.js';

export type HubMigrateResult = { applied: string[]; database: string; engine: string };

export default class HubMigrate extends Command {
  static override summary = "Bring the hub's database schema up to date.";
  static override examples = [
    '<%= config.bin %> hub migrate',
    'MINJIANG_DATABASE_URL=postgres://… <%= config.bin %> hub migrate --json',
  ];
  static override enableJsonFlag = true;
  static override flags = { ...hubFlags };

  public async run(): Promise<HubMigrateResult> {
    const { flags } = await this.parse(HubMigrate);
    warnPasswordInArgv(this.argv, (message) => this.warn(message));
    const { loadConfig, openDatabase, migrateToLatest } = await import('../../index.js');
    const config = loadConfig({
      ...(flags['data-dir'] ? { dataDir: flags['data-dir'] } : {}),
      ...(flags['database-url'] ? { databaseUrl: flags['database-url'] } : {}),
    });
    const store = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const applied = await migrateToLatest(store.db);
      this.log(
        applied.length > 0 ? `已应用迁移 applied: ${applied.join(', ')}` : '数据库已是最新 up to date',
      );
      return { applied, database: store.location, engine: store.engine };
    } finally {
      await store.close();
    }
  }
}
