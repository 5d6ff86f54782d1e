import { Command, Flags } from '@oclif/core';
import { hubFlags, warnPasswordInArgv } from '../../cli-flags.js';

export type HubStartResult = { address: string; hubCode: string; role: string; database: string };

export default class HubStart extends Command {
  static override summary = 'Start a hub (the provincial one, or a city hub).';
  static override description =
    'Runs the hub on the embedded SQLite database in --data-dir, or on PostgreSQL with MINJIANG_DATABASE_URL. The database schema is brought up to date on start. Stops gracefully on Ctrl-C.';
  static override examples = [
    '<%= config.bin %> hub start',
    '<%= config.bin %> hub start --port 8750 --data-dir ./hub-data',
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
    });
    const { server, address } = await startServer(config);
    const result: HubStartResult = {
      address,
      hubCode: config.hubCode,
      role: config.role,
      database: server.hub.store.location,
    };
    process.stderr.write(
      `minjiang hub ${result.hubCode} (${result.role}) listening on ${address} — ${server.hub.store.engine}: ${result.database}\n`,
    );
  }
}
