import { Command, Flags } from '@oclif/core';
import { hubFlags, warnPasswordInArgv } from '../../cli-flags.js';

export type HubStartResult = {
  address: string;
  hubCode: string;
  role: string;
  database: string;
  parent?: { code: string; url: string };
};

export default class HubStart extends Command {
  static override summary = 'Start a hub (the provincial one, or a city hub).';
  static override description =
    'Runs the hub on the embedded SQLite database in --data-dir, or on PostgreSQL with MINJIANG_DATABASE_URL. The database schema is brought up to date on start. Stops gracefully on Ctrl-C.';
  static override examples = [
    '<%= config.bin %> hub start',
    '<%= config.bin %> hub start --port 8750 --data-dir ./hub-data',
    '<%= config.bin %> hub start --hub-code 350100 --role city --parent-url https://data.fujian.example --parent-code 350000',
  ];
  static override flags = {
    ...hubFlags,
    port: Flags.integer({ summary: 'TCP port to listen on.', env: 'MINJIANG_PORT', min: 0, max: 65535 }),
    host: Flags.string({ summary: 'Address to listen on.', env: 'MINJIANG_HOST' }),
    role: Flags.string({
      summary: 'province or city.',
      options: ['province', 'city'],
      env: 'MINJIANG_HUB_ROLE',
    }),
    'parent-url': Flags.string({
      summary: "A city hub's parent: the provincial hub's base URL (with --parent-code).",
      env: 'MINJIANG_PARENT_URL',
      dependsOn: ['parent-code'],
    }),
    'parent-code': Flags.string({
      summary: "A city hub's parent: the provincial hub's code, e.g. 350000 (with --parent-url).",
      env: 'MINJIANG_PARENT_CODE',
      dependsOn: ['parent-url'],
    }),
  };

  public async run(): Promise<void> {
    const { flags } = await this.parse(HubStart);
    warnPasswordInArgv(this.argv, (message) => this.warn(message));
    const { loadConfig, startServer } = await import('../../index.js');
    const config = loadConfig({
      ...(flags['data-dir'] ? { dataDir: flags['data-dir'] } : {}),
      ...(flags['database-url'] ? { databaseUrl: flags['database-url'] } : {}),
      ...(flags['hub-code'] ? { hubCode: flags['hub-code'] } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.role ? { role: flags.role as 'province' | 'city' } : {}),
      ...(flags['parent-url'] ? { parentUrl: flags['parent-url'] } : {}),
      ...(flags['parent-code'] ? { parentCode: flags['parent-code'] } : {}),
    });
    const { server, address } = await startServer(config);
    const result: HubStartResult = {
      address,
      hubCode: config.hubCode,
      role: config.role,
      database: server.hub.store.location,
      ...(config.parentUrl && config.parentCode
        ? { parent: { code: config.parentCode, url: config.parentUrl } }
        : {}),
    };
    const parent = result.parent ? `, parent ${result.parent.code} at ${result.parent.url}` : '';
    process.stderr.write(
      `minjiang hub ${result.hubCode} (${result.role}${parent}) listening on ${address} — ${server.hub.store.engine}: ${result.database}\n`,
    );
  }
}
