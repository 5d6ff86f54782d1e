import { Args } from '@oclif/core';
import type { Webhook } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export type WebhookRemoveResult = Webhook;

const TEXT = {
  done: {
    'zh-CN': '已删除 Webhook {id}：不再向 {url} 发送通知，尚未送达的通知不再发送',
    en: 'removed webhook {id}: nothing more is sent to {url}, undelivered notifications included',
  },
};

export default class WebhookRemove extends MinjiangCommand<WebhookRemoveResult> {
  static override summary = 'Remove a webhook: nothing more is sent to it (its delivery log stays readable).';
  static override examples = ['<%= config.bin %> webhook remove wh_0123456789abcdef01234567'];
  static override args = { id: Args.string({ required: true, description: 'The webhook id.' }) };
  static override flags = { ...hubFlags };

  protected async execute(): Promise<WebhookRemoveResult> {
    const { args, flags } = await this.parse(WebhookRemove);
    const { client } = await connectHub(flags, this.lang);
    try {
      return await client.webhooks.remove(args.id);
    } finally {
      await client.close();
    }
  }

  protected render(hook: WebhookRemoveResult): void {
    process.stdout.write(`${say(TEXT.done, this.lang, { ...hook })}\n`);
  }
}
