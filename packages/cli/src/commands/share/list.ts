import { Flags } from '@oclif/core';
import type { ApplicationState, ApplicationSummary } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';
import { chinaTime, stateLabel } from '../../share/next-step.js';
import { printLines, withHub } from '../../share/render.js';

export interface ShareListResult {
  items: ApplicationSummary[];
}

const STATES: ApplicationState[] = [
  'DRAFT',
  'SUBMITTED',
  'PRECHECK',
  'PROVIDER_REVIEW',
  'OFFERED',
  'ACCEPTED',
  'APPROVED',
  'ACTIVE',
  'SUSPENDED',
  'REJECTED',
  'ESCALATED',
  'WITHDRAWN',
  'EXPIRED',
  'REVOKED',
];

const TEXT = {
  line: {
    'zh-CN':
      '{id}  {state}（{label}）  {resource}  申请方 {applicant}  提供方 {provider}  待 {party} 处理  期限 {deadline}',
    en: '{id}  {state} ({label})  {resource}  applicant {applicant}  provider {provider}  waiting on {party}  due {deadline}',
  },
  none: { 'zh-CN': '没有共享申请', en: 'no applications' },
};

export default class ShareList extends MinjiangCommand<ShareListResult> {
  static override summary = 'List sharing applications of the organisation, as applicant or as provider.';
  static override description =
    'Officers and reviewers see their organisation’s applications (as applicant or provider); admins and auditors see all. Newest first.';
  static override examples = [
    '<%= config.bin %> share list --as provider --state PROVIDER_REVIEW',
    '<%= config.bin %> share list --json',
  ];
  static override flags = {
    ...hubFlags,
    as: Flags.string({
      summary: 'Only those where the organisation is this party.',
      options: ['applicant', 'provider'],
    }),
    state: Flags.string({ summary: 'Only applications in this state.', options: STATES }),
    resource: Flags.string({ char: 'r', summary: 'Only applications for this resource.' }),
    limit: Flags.integer({ summary: 'At most this many applications.', default: 100, min: 1, max: 10_000 }),
  };

  protected async execute(): Promise<ShareListResult> {
    const { flags } = await this.parse(ShareList);
    const query = {
      ...(flags.as ? { as: flags.as as 'applicant' | 'provider' } : {}),
      ...(flags.state ? { state: flags.state as ApplicationState } : {}),
      ...(flags.resource ? { resource: flags.resource } : {}),
      limit: Math.min(flags.limit, 500),
    };
    return withHub(flags, this.lang, async (client) => {
      const items: ApplicationSummary[] = [];
      for await (const app of client.sharing.listApplications(query)) {
        items.push(app);
        if (items.length >= flags.limit) break;
      }
      return { items };
    });
  }

  protected render(result: ShareListResult): void {
    if (result.items.length === 0) printLines([say(TEXT.none, this.lang)]);
    else
      printLines(
        result.items.map((app) =>
          say(TEXT.line, this.lang, {
            ...app,
            resource: app.resourceCode,
            label: stateLabel(app.state, this.lang),
            party: app.next.party,
            deadline: app.next.deadline ? chinaTime(app.next.deadline) : '-',
          }),
        ),
      );
  }
}
