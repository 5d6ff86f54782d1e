import { Args, Flags } from '@oclif/core';
import { syncCascadeChild, type CascadeSyncSummary } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { syncExit, syncLines } from '../../cascade/sync.js';
import { printLines, withHub } from '../../demand/render.js';
import { hubFlags } from '../../hub-connection.js';

export default class CascadeSync extends MinjiangCommand<CascadeSyncSummary> {
  static override summary = "Sync a child hub's catalog into the province now (province admin).";
  static override description =
    "Reads the child hub's signed feed from the stored cursor (or, with --full, its complete listing, where absence removes entries), verifies every page against the key pinned at approval, and applies the plan with the cursor in one transaction. A sync that would remove more than the configured share of the child's entries stops (exit 7) until it is confirmed with --confirm. Exit 6: the child could not be reached; 1: a page did not verify; 5: some items were refused.";
  static override examples = [
    '<%= config.bin %> cascade sync 350100',
    '<%= config.bin %> cascade sync 350100 --full',
    '<%= config.bin %> cascade sync 350100 --confirm --json',
  ];
  static override args = {
    hub: Args.string({ required: true, description: 'The child hub code, e.g. 350100.' }),
  };
  static override flags = {
    ...hubFlags,
    full: Flags.boolean({
      summary: "Full resync: read the child's complete listing (absent entries are removed).",
    }),
    confirm: Flags.boolean({ summary: 'Confirm the removals of a sync the mass-delete guard stopped.' }),
  };

  protected async execute(): Promise<CascadeSyncSummary> {
    const { args, flags } = await this.parse(CascadeSync);
    const input = { mode: flags.full ? ('full' as const) : ('changes' as const), confirm: flags.confirm };
    const summary = await withHub(flags, this.lang, (client) =>
      syncCascadeChild(client, args.hub, input, { lang: this.lang }),
    );
    this.exitCode = syncExit(summary);
    return summary;
  }

  protected render(summary: CascadeSyncSummary): void {
    printLines(syncLines(summary, this.lang));
  }
}
