import { Args, Flags } from '@oclif/core';
import type { Application } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { hubFlags } from '../../hub-connection.js';
import { applicationLines, printLines, withHub } from '../../share/render.js';

export default class ShareShow extends MinjiangCommand<Application> {
  static override summary = 'Show an application: what was asked, the offer, who must act next, its history.';
  static override examples = [
    '<%= config.bin %> share show urn:ses:app:350000:2026:1',
    '<%= config.bin %> share show urn:ses:app:350000:2026:1 --document --json',
  ];
  static override args = { id: Args.string({ required: true, description: 'The application id.' }) };
  static override flags = {
    ...hubFlags,
    document: Flags.boolean({
      summary: 'Print the standards document (application/sharing-application-1.0) instead of the view.',
    }),
  };

  private document = false;

  protected async execute(): Promise<Application> {
    const { args, flags } = await this.parse(ShareShow);
    this.document = flags.document;
    return withHub(flags, this.lang, async (client) =>
      flags.document
        ? ((await client.sharing.getApplicationDocument(args.id)) as unknown as Application)
        : client.sharing.getApplication(args.id),
    );
  }

  protected render(app: Application): void {
    if (this.document) process.stdout.write(`${JSON.stringify(app, null, 2)}\n`);
    else printLines(applicationLines(app, this.lang, { history: true }));
  }
}
