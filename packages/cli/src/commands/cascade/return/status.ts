import { Args } from '@oclif/core';
import { returnList, type ReturnCopy } from '@minjiang/sdk';
import { MinjiangCommand } from '../../../base-command.js';
import { EXIT } from '../../../exit-codes.js';
import { copyLines, returnExit } from '../../../cascade/return-lines.js';
import { printLines, withHub } from '../../../demand/render.js';
import { hubFlags } from '../../../hub-connection.js';

/** The `--json` result (schema: packages/cli/schemas/cascade-return-status.json). */
export interface ReturnStatusResult {
  copies: ReturnCopy[];
}

export default class CascadeReturnStatus extends MinjiangCommand<ReturnStatusResult> {
  static override summary =
    "This city's return-flow copies and whether they match the province (admin, auditor).";
  static override description =
    "Run against a city hub. For each copy (or the one named): cursor, rows held, the state digest computed here and the province's at its head, the verification (verified, diverged, pending) and the last error. Exit codes: 0 all verified or pending; 1 a copy diverged from the province or its last page was refused; 6 the parent could not be reached on the last pull; 4 no such copy. See docs/cascade-return.md.";
  static override examples = [
    '<%= config.bin %> cascade return status',
    '<%= config.bin %> cascade return status ret-0f3c… --json',
  ];
  static override args = { subscription: Args.string({ description: 'A subscription id (default: all).' }) };
  static override flags = { ...hubFlags };

  protected async execute(): Promise<ReturnStatusResult> {
    const { args, flags } = await this.parse(CascadeReturnStatus);
    const list = await withHub(flags, this.lang, (client) => returnList(client, { lang: this.lang }));
    const copies = list.copies.filter(
      (copy) => !args.subscription || copy.subscription === args.subscription,
    );
    // A copy named but not held: an empty list and exit 4.
    this.exitCode =
      args.subscription && copies.length === 0
        ? EXIT.notFound
        : returnExit(copies.map((copy) => ({ verification: copy.verification, error: copy.lastError })));
    return { copies };
  }

  protected render(result: ReturnStatusResult): void {
    printLines(copyLines(result.copies, this.lang));
  }
}
