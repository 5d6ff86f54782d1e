import { Args } from '@oclif/core';
import { MinjiangCommand } from '../../base-command.js';
import { hubFlags } from '../../hub-connection.js';
import { statusLines, statusOf, type ShareStatus } from '../../share/next-step.js';
import { printLines, withHub } from '../../share/render.js';

export type ShareStatusResult = ShareStatus;

export default class ShareStatusCommand extends MinjiangCommand<ShareStatusResult> {
  static override summary =
    'Who must act next on an application — applicant, platform (主管部门) or provider — what they may do, and by when.';
  static override description =
    'The deadline is shown in China time (UTC+8) with the time left, or how late it is. Deadlines are working days; when one passes the hub escalates or expires the application: silence never approves.';
  static override examples = ['<%= config.bin %> share status urn:ses:app:350000:2026:1'];
  static override args = { id: Args.string({ required: true, description: 'The application id.' }) };
  static override flags = { ...hubFlags };

  protected async execute(): Promise<ShareStatusResult> {
    const { args, flags } = await this.parse(ShareStatusCommand);
    return statusOf(await withHub(flags, this.lang, (client) => client.sharing.getApplication(args.id)));
  }

  protected render(status: ShareStatusResult): void {
    printLines(statusLines(status, this.lang));
  }
}
