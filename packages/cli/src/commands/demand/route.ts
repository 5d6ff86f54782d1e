import { Args, Flags } from '@oclif/core';
import type { Demand } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { demandLines, printLines, withHub } from '../../demand/render.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

const TEXT = { done: { 'zh-CN': '需求 {id} 已分派给 {provider}', en: 'demand {id} routed to {provider}' } };

export default class DemandRoute extends MinjiangCommand<Demand> {
  static override summary = 'Route a demand to a provider (platform administrators).';
  static override description =
    'SUBMITTED or ROUTED → ROUTED. The provider’s deadline (working days, config deadlineDays.demand) starts afresh.';
  static override examples = [
    '<%= config.bin %> demand route urn:ses:demand:350000:2026:1 --provider 350000/GOV/<统一社会信用代码>',
  ];
  static override args = { id: Args.string({ required: true, description: 'The demand id.' }) };
  static override flags = {
    ...hubFlags,
    provider: Flags.string({ summary: 'Member id of the organisation to provide it.', required: true }),
  };

  protected async execute(): Promise<Demand> {
    const { args, flags } = await this.parse(DemandRoute);
    return withHub(flags, this.lang, (client) => client.demands.route(args.id, { provider: flags.provider }));
  }

  protected render(demand: Demand): void {
    printLines([say(TEXT.done, this.lang, { ...demand }), ...demandLines(demand, this.lang)]);
  }
}
