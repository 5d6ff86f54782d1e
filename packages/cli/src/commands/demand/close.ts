import { Args } from '@oclif/core';
import type { Demand } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { demandLines, printLines, withHub } from '../../demand/render.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

const TEXT = { done: { 'zh-CN': '需求 {id} 已关闭', en: 'demand {id} closed' } };

export default class DemandClose extends MinjiangCommand<Demand> {
  static override summary = 'Close a fulfilled or declined demand (the requester).';
  static override description = 'FULFILLED or DECLINED → CLOSED: the requester has taken note of the answer.';
  static override examples = ['<%= config.bin %> demand close urn:ses:demand:350000:2026:1'];
  static override args = { id: Args.string({ required: true, description: 'The demand id.' }) };
  static override flags = { ...hubFlags };

  protected async execute(): Promise<Demand> {
    const { args, flags } = await this.parse(DemandClose);
    return withHub(flags, this.lang, (client) => client.demands.close(args.id));
  }

  protected render(demand: Demand): void {
    printLines([say(TEXT.done, this.lang, { ...demand }), ...demandLines(demand, this.lang)]);
  }
}
