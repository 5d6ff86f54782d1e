import { Flags } from '@oclif/core';
import { syncReturn, type ReturnPull } from '@minjiang/sdk';
import { MinjiangCommand } from '../../../base-command.js';
import { pullLines, returnExit } from '../../../cascade/return-lines.js';
import { printLines, withHub } from '../../../demand/render.js';
import { hubFlags } from '../../../hub-connection.js';

/** The `--json` result (schema: packages/cli/schemas/cascade-return-sync.json). */
export interface ReturnSyncResult {
  pulls: ReturnPull[];
}

export default class CascadeReturnSync extends MinjiangCommand<ReturnSyncResult> {
  static override summary = 'Pull the return-flow (回流) rows from the province now (city admin).';
  static override description =
    "Run against a city hub. It asks the province for its subscriptions, reads each one's signed row pages after the stored cursor, verifies every page with the province key pinned at approval, applies each page with its cursor in one transaction, and at the province's head compares the copy's state digest with the province's. A copy that differs is reported (diverged), never patched; --full copies it again from the start. Exit codes: 0 done; 1 a page was refused or a copy diverged; 6 the province could not be reached (the next pull resumes from the cursor). See docs/cascade-return.md.";
  static override examples = [
    '<%= config.bin %> cascade return sync',
    '<%= config.bin %> cascade return sync --full --json',
  ];
  static override flags = {
    ...hubFlags,
    full: Flags.boolean({ summary: 'Copy again from the start, replacing the rows held.' }),
  };

  protected async execute(): Promise<ReturnSyncResult> {
    const { flags } = await this.parse(CascadeReturnSync);
    const pulls = await withHub(flags, this.lang, (client) =>
      syncReturn(client, { full: flags.full }, { lang: this.lang }),
    );
    this.exitCode = returnExit(pulls);
    return { pulls };
  }

  protected render(result: ReturnSyncResult): void {
    printLines(pullLines(result.pulls, this.lang));
  }
}
