import { Flags } from '@oclif/core';
import type { Demand, DemandState } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { chinaTime, withHub } from '../../demand/render.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export interface DemandListResult {
  items: Demand[];
}

const STATES = ['DRAFT', 'SUBMITTED', 'ROUTED', 'CLAIMED', 'FULFILLED', 'DECLINED', 'CLOSED', 'WITHDRAWN'];

const TEXT = {
  line: {
    'zh-CN':
      '{id}  {state}  {subject}  需求方 {requester}  提供方 {provider}  待 {party} 处理  期限 {deadline}',
    en: '{id}  {state}  {subject}  requester {requester}  provider {provider}  waiting on {party}  due {deadline}',
  },
  none: { 'zh-CN': '没有数据需求', en: 'no demands' },
};

export default class DemandList extends MinjiangCommand<DemandListResult> {
  static override summary = 'List data demands (数据需求), newest first.';
  static override description =
    'Officers and reviewers see their organisation’s demands, as requester or provider, and the unrouted ones they may claim; administrators and auditors see all.';
  static override examples = [
    '<%= config.bin %> demand list --as provider --state ROUTED',
    '<%= config.bin %> demand list --as requester --json',
  ];
  static override flags = {
    ...hubFlags,
    as: Flags.string({
      summary: 'Only demands the organisation filed, or may provide.',
      options: ['requester', 'provider'],
    }),
    state: Flags.string({ summary: 'Only demands in this state.', options: STATES }),
    limit: Flags.integer({ summary: 'At most this many demands.', default: 100, min: 1, max: 10_000 }),
  };

  protected async execute(): Promise<DemandListResult> {
    const { flags } = await this.parse(DemandList);
    return withHub(flags, this.lang, async (client) => {
      const items: Demand[] = [];
      const query = {
        ...(flags.as ? { as: flags.as as 'requester' | 'provider' } : {}),
        ...(flags.state ? { state: flags.state as DemandState } : {}),
        limit: Math.min(flags.limit, 500),
      };
      for await (const demand of client.demands.list(query)) {
        items.push(demand);
        if (items.length >= flags.limit) break;
      }
      return { items };
    });
  }

  protected render(result: DemandListResult): void {
    if (result.items.length === 0) process.stdout.write(`${say(TEXT.none, this.lang)}\n`);
    for (const d of result.items)
      process.stdout.write(
        `${say(TEXT.line, this.lang, {
          ...d,
          provider: d.provider ?? '-',
          party: d.next.party,
          deadline: d.next.deadline ? chinaTime(d.next.deadline) : '-',
        })}\n`,
      );
  }
}
