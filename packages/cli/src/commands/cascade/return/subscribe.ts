import { Flags } from '@oclif/core';
import { subscribeReturn, type ReturnSubscription } from '@minjiang/sdk';
import { MinjiangCommand } from '../../../base-command.js';
import { subscriptionLines } from '../../../cascade/return-lines.js';
import { printLines, withHub } from '../../../demand/render.js';
import { hubFlags } from '../../../hub-connection.js';

export default class CascadeReturnSubscribe extends MinjiangCommand<ReturnSubscription> {
  static override summary = "Subscribe a child hub to a resource's rows of its region (province admin).";
  static override description =
    "Run against the provincial hub. The child must be APPROVED; the rows are those whose --region-item starts with --prefix, which must lie within the child's region (350100: 3501…); --items (names or technical names) are released under --masking. With --grant (an active grant of the resource) the grant's items and masking are the default and the limit; without one, --items, --masking and --reason are required. Audited; the child is nudged to pull. Exit codes: 0 made; 1 refused terms; 3 not allowed; 4 no such child or resource. See docs/cascade-return.md.";
  static override examples = [
    '<%= config.bin %> cascade return subscribe --child 350100 --resource 3350010001/000002 --region-item HJDQH --prefix 3501 --items XM,HJDQH --masking MP-STD-01 --reason "省数据局决定"',
    '<%= config.bin %> cascade return subscribe --child 350100 --resource 3350010001/000002 --region-item HJDQH --prefix 3501 --grant urn:ses:grant:350000:2026:12',
  ];
  static override flags = {
    ...hubFlags,
    child: Flags.string({ summary: 'The child hub code, e.g. 350100.', required: true }),
    resource: Flags.string({ summary: 'The provincial catalog resource code.', required: true }),
    'region-item': Flags.string({
      summary: 'The item whose value selects the rows (name or technical name).',
      required: true,
    }),
    prefix: Flags.string({
      summary: "The region code prefix, within the child's region, e.g. 3501.",
      required: true,
    }),
    items: Flags.string({ summary: 'Items released, comma-separated (default: the grant’s).' }),
    masking: Flags.string({ summary: 'Masking profile, e.g. MP-STD-01 (default: the grant’s).' }),
    grant: Flags.string({ summary: 'The active grant of the resource that authorises it.' }),
    reason: Flags.string({ summary: "The admin's recorded reason (required without --grant)." }),
  };

  protected async execute(): Promise<ReturnSubscription> {
    const { flags } = await this.parse(CascadeReturnSubscribe);
    const input = {
      child: flags.child,
      resource: flags.resource,
      regionItem: flags['region-item'],
      prefix: flags.prefix,
      ...(flags.items
        ? {
            items: flags.items
              .split(',')
              .map((item) => item.trim())
              .filter(Boolean),
          }
        : {}),
      ...(flags.masking ? { masking: flags.masking } : {}),
      ...(flags.grant ? { grant: flags.grant } : {}),
      ...(flags.reason ? { reason: flags.reason } : {}),
    };
    return withHub(flags, this.lang, (client) => subscribeReturn(client, input, { lang: this.lang }));
  }

  protected render(sub: ReturnSubscription): void {
    printLines(subscriptionLines([sub], this.lang));
  }
}
