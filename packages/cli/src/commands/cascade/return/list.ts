import { returnList, type ReturnList } from '@minjiang/sdk';
import { MinjiangCommand } from '../../../base-command.js';
import { copyLines, subscriptionLines } from '../../../cascade/return-lines.js';
import { printLines, withHub } from '../../../demand/render.js';
import { hubFlags } from '../../../hub-connection.js';

export default class CascadeReturnList extends MinjiangCommand<ReturnList> {
  static override summary =
    'Return-flow (回流) subscriptions: served by this province, or copied by this city (admin, auditor).';
  static override description =
    "At a provincial hub: every subscription it serves (child, resource, region item and prefix, items, masking, authority, state, change-log head). At a city hub: its copies with cursor, rows, state digest and whether they matched the province's. Administrator or auditor token. See docs/cascade-return.md.";
  static override examples = [
    '<%= config.bin %> cascade return list',
    '<%= config.bin %> cascade return list --json',
  ];
  static override flags = { ...hubFlags };

  protected async execute(): Promise<ReturnList> {
    const { flags } = await this.parse(CascadeReturnList);
    return withHub(flags, this.lang, (client) => returnList(client, { lang: this.lang }));
  }

  protected render(list: ReturnList): void {
    printLines(
      list.role === 'province'
        ? subscriptionLines(list.subscriptions, this.lang)
        : copyLines(list.copies, this.lang),
    );
  }
}
