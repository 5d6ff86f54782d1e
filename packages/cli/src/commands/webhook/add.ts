import { Args, Flags } from '@oclif/core';
import { WEBHOOK_EVENTS, type RegisteredWebhook, type WebhookEvent } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export type WebhookAddResult = RegisteredWebhook;

const TEXT = {
  done: {
    'zh-CN': '已登记 Webhook {id}：{url}（事件：{events}{platform}）\n签名密钥：{secret}',
    en: 'registered webhook {id}: {url} (events: {events}{platform})\nsigning secret: {secret}',
  },
  platform: { 'zh-CN': '；平台 Webhook', en: '; platform webhook' },
  once: {
    'zh-CN':
      '注意：签名密钥只显示这一次，不会再次显示，请立即保存；接收方用它校验 Minjiang-Signature 签名头。',
    en: 'Note: the signing secret is shown this once and will not be shown again: store it now. Receivers check the Minjiang-Signature header with it.',
  },
};

export default class WebhookAdd extends MinjiangCommand<WebhookAddResult> {
  static override summary = 'Register a webhook: the hub POSTs signed notifications to the URL.';
  static override description =
    'The webhook belongs to the organisation of the token (an admin registers a platform webhook, which also receives what the 主管部门 must act on). The result carries the signing secret, shown this once only.';
  static override examples = [
    '<%= config.bin %> webhook add https://oa.example.gov.cn/minjiang/notify',
    '<%= config.bin %> webhook add https://oa.example.gov.cn/minjiang/notify --event demand.action_needed --event demand.sla_breach --json',
  ];
  static override args = {
    url: Args.string({ required: true, description: 'Where to POST notifications (http or https).' }),
  };
  static override flags = {
    ...hubFlags,
    event: Flags.string({
      summary: 'Only this event (repeatable; default: every event).',
      multiple: true,
      options: ['*', ...WEBHOOK_EVENTS],
    }),
  };

  protected async execute(): Promise<WebhookAddResult> {
    const { args, flags } = await this.parse(WebhookAdd);
    const { client } = await connectHub(flags, this.lang);
    try {
      const events = flags.event as WebhookEvent[] | undefined;
      const result = await client.webhooks.register({ url: args.url, ...(events ? { events } : {}) });
      // On stderr, so it reaches the person even when stdout goes to a file or another program.
      this.note(say(TEXT.once, this.lang));
      return result;
    } finally {
      await client.close();
    }
  }

  protected render(hook: WebhookAddResult): void {
    const platform = hook.platform ? say(TEXT.platform, this.lang) : '';
    process.stdout.write(
      `${say(TEXT.done, this.lang, { ...hook, events: hook.events.join(', '), platform })}\n`,
    );
  }
}
