/**
 * @minjiang/cli: the `minjiang` command-line tool. Commands live in src/commands/<topic>/<verb>.ts
 * and stay thin over services in the SDK; the hub's commands come from its oclif plugin.
 */
export const CLI_NAME = 'minjiang';
