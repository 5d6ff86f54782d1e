import { Flags } from '@oclif/core';

/** Flags shared by the hub commands; each has its environment variable. */
export const hubFlags = {
  'data-dir': Flags.directory({
    summary: 'Folder of the embedded database and the hub configuration (hub.json).',
    env: 'MINJIANG_DATA_DIR',
  }),
  'database-url': Flags.string({
    summary: 'PostgreSQL connection string; SQLite in the data folder when absent.',
    description:
      'Prefer the MINJIANG_DATABASE_URL environment variable: a password on the command line shows in the process list.',
    env: 'MINJIANG_DATABASE_URL',
  }),
  'hub-code': Flags.string({
    summary: 'GB/T 2260 code of the hub, e.g. 350000 or 350100.',
    env: 'MINJIANG_HUB_CODE',
  }),
};

/** Warns (on stderr) when a password was typed on the command line. */
export function warnPasswordInArgv(argv: readonly string[], warn: (message: string) => void): void {
  if (argv.some((arg) => /^postgres(ql)?:\/\/[^/@:]+:[^/@]+@/.test(arg.replace(/^--database-url=/, '')))) {
    warn('The database URL on the command line holds a password; set MINJIANG_DATABASE_URL instead.');
  }
}
