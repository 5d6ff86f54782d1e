import { Args } from '@oclif/core';
import type { Application } from '@minjiang/sdk';
import { MinjiangError } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';
import { stateLabel } from '../../share/next-step.js';
import { applicationLines, offerLine, printLines, withHub } from '../../share/render.js';
import { messageIdFlag } from '../../share/transition-command.js';

const TEXT = {
  noOffer: {
    'zh-CN': '申请 {id} 当前为 {state}（{label}），没有待接受的条件',
    en: 'application {id} is {state} ({label}): no offer to accept',
  },
  noOfferHint: {
    'zh-CN': '只有提供方提出条件（OFFERED）后才能接受；用 minjiang share status {id} 查看应由谁处理。',
    en: 'An offer can be accepted only once the provider has made one (OFFERED); see minjiang share status {id}.',
  },
  accepting: { 'zh-CN': '接受条件 {id}（摘要 {digest}）', en: 'accepting offer {id} (digest {digest})' },
  done: { 'zh-CN': '已接受条件：{id} 现为 {state}', en: 'offer accepted: {id} is now {state}' },
};

export default class ShareAccept extends MinjiangCommand<Application> {
  static override summary =
    'Accept the provider’s offer (OFFERED → APPROVED with a grant), as the applicant’s officer.';
  static override description =
    'Reads the current offer and sends back its id and digest, so what is accepted is exactly the offer shown: an offer changed meanwhile is refused by the hub.';
  static override examples = ['<%= config.bin %> share accept urn:ses:app:350000:2026:1'];
  static override args = { id: Args.string({ required: true, description: 'The application id.' }) };
  static override flags = { ...hubFlags, 'message-id': messageIdFlag };

  protected async execute(): Promise<Application> {
    const { args, flags } = await this.parse(ShareAccept);
    return withHub(flags, this.lang, async (client) => {
      const app = await client.sharing.getApplication(args.id);
      // A retry with its message id goes to the hub even after the step: it answers it, once.
      const retry = flags['message-id'] !== undefined;
      if ((app.state !== 'OFFERED' && !retry) || !app.offer) {
        const params = { id: app.id, state: app.state, label: stateLabel(app.state, this.lang) };
        throw new MinjiangError('SHARE-NO-OFFER', say(TEXT.noOffer, this.lang, params), {
          hint: say(TEXT.noOfferHint, this.lang, params),
        });
      }
      this.note(say(TEXT.accepting, this.lang, { ...app.offer }));
      this.note(offerLine(app.offer, this.lang));
      return client.sharing.accept(app.id, {
        offerId: app.offer.id,
        offerDigest: app.offer.digest,
        ...(retry ? { messageId: flags['message-id'] } : { expectedState: 'OFFERED' as const }),
      });
    });
  }

  protected render(app: Application): void {
    printLines([say(TEXT.done, this.lang, { ...app }), ...applicationLines(app, this.lang).slice(1)]);
  }
}
