import { Flags } from '@oclif/core';
import type { Webhook } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export interface WebhookListResult {
  items: Webhook[];
}

const TEXT = {
  line: {
    'zh-CN': '{id}  {url}  事件 {events}{platform}  登记于 {createdAt}',
    en: '{id}  {url}  events {events}{platform}  since {createdAt}',
  },
  platform: { 'zh-CN': '  平台', en: '  platform' },
  none: { 'zh-CN': '没有 Webhook', en: 'no webhooks' },
};

export default class WebhookList extends MinjiangCommand<WebhookListResult> {
  static override summary =
    'List the active webhooks of the organisation (admins and auditors: all). Secrets are never shown.';
  static override examples = ['<%= config.bin %> webhook list', '<%= config.bin %> webhook list --json'];
  static override flags = {
    ...hubFlags,
    limit: Flags.integer({ summary: 'At most this many webhooks.', default: 100, min: 1, max: 10_000 }),
  };

  protected async execute(): Promise<WebhookListResult> {
    const { flags } = await this.parse(WebhookList);
    const { client } = await connectHub(flags, this.lang);
    try {
      const items: Webhook[] = [];
      for await (const hook of client.webhooks.list({ limit: Math.min(flags.limit, 500) })) {
        items.push(hook);
        if (items.length >= flags.limit) break;
      }
      return { items };
    } finally {
      await client.close();
    }
  }

  protected render(result: WebhookListResult): void {
    if (result.items.length === 0) process.stdout.write(`${say(TEXT.none, this.lang)}\n`);
    for (const hook of result.items) {
      const platform = hook.platform ? say(TEXT.platform, this.lang) : '';
      process.stdout.write(
        `${say(TEXT.line, this.lang, { ...hook, events: hook.events.join(','), platform })}\n`,
      );
    }
  }
}
