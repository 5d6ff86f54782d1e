import { Args, Flags } from '@oclif/core';
import { revokeReturn, type ReturnSubscription } from '@minjiang/sdk';
import { MinjiangCommand } from '../../../base-command.js';
import { subscriptionLines } from '../../../cascade/return-lines.js';
import { printLines, withHub } from '../../../demand/render.js';
import { hubFlags } from '../../../hub-connection.js';

export default class CascadeReturnRevoke extends MinjiangCommand<ReturnSubscription> {
  static override summary = 'End a return-flow (回流) subscription (province admin).';
  static override description =
    'Run against the provincial hub. The subscription is served no more; the city, told on its next pull, empties its copy. --reason is required and kept with the subscription and in the audit log. Exit codes: 0 revoked; 1 not ACTIVE or no reason; 3 not allowed; 4 no such subscription. See docs/cascade-return.md.';
  static override examples = ['<%= config.bin %> cascade return revoke ret-0f3c… --reason "授权到期"'];
  static override args = {
    subscription: Args.string({ required: true, description: 'The subscription id.' }),
  };
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why it ends (required).', required: true }),
  };

  protected async execute(): Promise<ReturnSubscription> {
    const { args, flags } = await this.parse(CascadeReturnRevoke);
    return withHub(flags, this.lang, (client) =>
      revokeReturn(client, args.subscription, flags.reason, { lang: this.lang }),
    );
  }

  protected render(sub: ReturnSubscription): void {
    printLines(subscriptionLines([sub], this.lang));
  }
}
