import { Args, Flags } from '@oclif/core';
import type { WebhookDelivery, WebhookDeliveryStatus } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export interface WebhookDeliveriesResult {
  items: WebhookDelivery[];
}

const TEXT = {
  line: {
    'zh-CN': '{id}  {status}  {event}  已尝试 {attempts} 次  {when}{error}',
    en: '{id}  {status}  {event}  {attempts} attempts  {when}{error}',
  },
  next: { 'zh-CN': '下次 {at}', en: 'next {at}' },
  delivered: { 'zh-CN': '送达于 {at}', en: 'delivered {at}' },
  created: { 'zh-CN': '产生于 {at}', en: 'queued {at}' },
  none: { 'zh-CN': '没有投递记录', en: 'no deliveries' },
};

export default class WebhookDeliveries extends MinjiangCommand<WebhookDeliveriesResult> {
  static override summary =
    'Show the deliveries of a webhook, newest first: status, attempts, next attempt, last error.';
  static override examples = [
    '<%= config.bin %> webhook deliveries wh_0123456789abcdef01234567',
    '<%= config.bin %> webhook deliveries wh_0123456789abcdef01234567 --status failed --json',
  ];
  static override args = { id: Args.string({ required: true, description: 'The webhook id.' }) };
  static override flags = {
    ...hubFlags,
    status: Flags.string({
      summary: 'Only deliveries in this state.',
      options: ['pending', 'delivered', 'failed'],
    }),
    limit: Flags.integer({ summary: 'At most this many deliveries.', default: 100, min: 1, max: 10_000 }),
  };

  protected async execute(): Promise<WebhookDeliveriesResult> {
    const { args, flags } = await this.parse(WebhookDeliveries);
    const { client } = await connectHub(flags, this.lang);
    try {
      const items: WebhookDelivery[] = [];
      const query = {
        ...(flags.status ? { status: flags.status as WebhookDeliveryStatus } : {}),
        limit: Math.min(flags.limit, 500),
      };
      for await (const delivery of client.webhooks.deliveries(args.id, query)) {
        items.push(delivery);
        if (items.length >= flags.limit) break;
      }
      return { items };
    } finally {
      await client.close();
    }
  }

  protected render(result: WebhookDeliveriesResult): void {
    if (result.items.length === 0) process.stdout.write(`${say(TEXT.none, this.lang)}\n`);
    for (const delivery of result.items) {
      const when =
        delivery.status === 'pending'
          ? say(TEXT.next, this.lang, { at: delivery.nextAttemptAt })
          : delivery.deliveredAt
            ? say(TEXT.delivered, this.lang, { at: delivery.deliveredAt })
            : say(TEXT.created, this.lang, { at: delivery.createdAt });
      const error = delivery.lastError && delivery.status !== 'delivered' ? `  ${delivery.lastError}` : '';
      process.stdout.write(`${say(TEXT.line, this.lang, { ...delivery, when, error })}\n`);
    }
  }
}
