import { Args } from '@oclif/core';
import type { Demand } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { demandLines, printLines, withHub } from '../../demand/render.js';
import { hubFlags } from '../../hub-connection.js';

export default class DemandShow extends MinjiangCommand<Demand> {
  static override summary = 'Show a demand: its state, its history, and who must act next and by when.';
  static override description =
    'The deadline is the end of a working day in China time (holidays and make-up working days per the hub’s calendar). A deadline the provider missed stays recorded as breachedAt.';
  static override examples = ['<%= config.bin %> demand show urn:ses:demand:350000:2026:1'];
  static override args = { id: Args.string({ required: true, description: 'The demand id.' }) };
  static override flags = { ...hubFlags };

  protected async execute(): Promise<Demand> {
    const { args, flags } = await this.parse(DemandShow);
    return withHub(flags, this.lang, (client) => client.demands.get(args.id));
  }

  protected render(demand: Demand): void {
    printLines(demandLines(demand, this.lang, { history: true }));
  }
}
