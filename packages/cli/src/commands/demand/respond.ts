import { Args, Flags } from '@oclif/core';
import type { Demand, HubClient } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { demandLines, printLines, withHub } from '../../demand/render.js';
import { UsageError } from '../../exit-codes.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

const TEXT = {
  fulfilled: { 'zh-CN': '需求 {id} 已满足：资源 {code}', en: 'demand {id} fulfilled with resource {code}' },
  declined: { 'zh-CN': '需求 {id} 不予满足', en: 'demand {id} declined' },
  how: {
    'zh-CN': '请给出 --fulfil <资源代码> 或 --decline --reason <理由>',
    en: 'give --fulfil <resource code> or --decline --reason <text>',
  },
  howHint: {
    'zh-CN': '满足需求时填写本机构已登记的资源代码（新登记的也可以）；不予满足时说明理由。',
    en: 'To fulfil, give the code of a resource your organisation registered (a new one counts); to decline, say why.',
  },
};

interface Answer {
  fulfil?: string | undefined;
  note?: string | undefined;
  reason?: string | undefined;
}

/**
 * An unrouted demand is claimed first: fulfilling or declining needs a provider. Not when a
 * decline has no reason, so a refused answer leaves no claim behind.
 */
async function respond(client: HubClient, id: string, answer: Answer): Promise<Demand> {
  const current = await client.demands.get(id);
  const answerable = answer.fulfil !== undefined || !!answer.reason?.trim();
  if (current.state === 'SUBMITTED' && answerable)
    await client.demands.claim(id, { expectedState: 'SUBMITTED' });
  if (answer.fulfil !== undefined)
    return client.demands.fulfil(id, {
      resourceCode: answer.fulfil,
      ...(answer.note ? { note: answer.note } : {}),
    });
  return client.demands.decline(id, { reason: answer.reason ?? '' });
}

export default class DemandRespond extends MinjiangCommand<Demand> {
  static override summary =
    'Answer a demand as its provider: fulfil it with a resource, or decline it with a reason.';
  static override description =
    'ROUTED or CLAIMED → FULFILLED or DECLINED; an unrouted (SUBMITTED) demand is claimed first. The resource must be one the organisation registered, in any status: registering a new one to meet the demand counts.';
  static override examples = [
    '<%= config.bin %> demand respond urn:ses:demand:350000:2026:1 --fulfil 3350010001/000001 --note 已按需求新增信息项',
    '<%= config.bin %> demand respond urn:ses:demand:350000:2026:2 --decline --reason 本单位未采集该数据',
  ];
  static override args = { id: Args.string({ required: true, description: 'The demand id.' }) };
  static override flags = {
    ...hubFlags,
    fulfil: Flags.string({ summary: 'Code of the resource that meets the demand.', exclusive: ['decline'] }),
    note: Flags.string({ summary: 'A note with the fulfilment.', dependsOn: ['fulfil'] }),
    decline: Flags.boolean({ summary: 'Decline the demand (needs --reason).', exclusive: ['fulfil'] }),
    reason: Flags.string({ summary: 'Why the demand is declined.' }),
  };

  protected async execute(): Promise<Demand> {
    const { args, flags } = await this.parse(DemandRespond);
    if (flags.fulfil === undefined && !flags.decline)
      throw new UsageError('DEMAND-ANSWER', say(TEXT.how, this.lang), { hint: say(TEXT.howHint, this.lang) });
    return withHub(flags, this.lang, (client) => respond(client, args.id, flags));
  }

  protected render(demand: Demand): void {
    const done = demand.state === 'DECLINED' ? TEXT.declined : TEXT.fulfilled;
    printLines([
      say(done, this.lang, { ...demand, code: demand.fulfilment?.resourceCode ?? '' }),
      ...demandLines(demand, this.lang),
    ]);
  }
}
