import { Flags } from '@oclif/core';
import type { QualityScore } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { UsageError } from '../../exit-codes.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export type DataQualityResult = QualityScore & { subject: { kind: 'resource' | 'organisation'; id: string } };

const TEXT = {
  score: {
    'zh-CN':
      '{kind} {id}：质量分 {score}\n  完整性 {completeness}  有效性 {validity}  唯一性 {uniqueness}  及时性 {timeliness}\n  测算于 {measuredAt}',
    en: '{kind} {id}: score {score}\n  completeness {completeness}  validity {validity}  uniqueness {uniqueness}  timeliness {timeliness}\n  measured at {measuredAt}',
  },
  resource: { 'zh-CN': '资源', en: 'resource' },
  organisation: { 'zh-CN': '机构', en: 'organisation' },
  both: { 'zh-CN': '--resource 和 --org 只能给一个', en: 'give --resource or --org, not both' },
  noOrg: { 'zh-CN': '令牌不属于任何机构', en: 'the token belongs to no organisation' },
};

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export default class DataQuality extends MinjiangCommand<DataQualityResult> {
  static override summary = 'Show the quality score of a resource or an organisation.';
  static override description =
    'Completeness, validity, uniqueness and timeliness (each 0–1) and the score (0–100), as the hub measures them from the submissions, the open problem records and the update cycle. Without --resource or --org: the organisation of the token.';
  static override examples = [
    '<%= config.bin %> data quality --resource 3350010001/000001',
    '<%= config.bin %> data quality --org 350100/GOV/11350100FJ01000501 --json',
    '<%= config.bin %> data quality',
  ];
  static override flags = {
    ...hubFlags,
    resource: Flags.string({ char: 'r', summary: 'The resource code.' }),
    org: Flags.string({ summary: 'The organisation id.' }),
  };

  protected async execute(): Promise<DataQualityResult> {
    const { flags } = await this.parse(DataQuality);
    if (flags.resource && flags.org) throw new UsageError('USAGE', say(TEXT.both, this.lang));
    const { client } = await connectHub(flags, this.lang);
    try {
      if (flags.resource) {
        const score = await client.data.resourceQuality(flags.resource);
        return { ...score, subject: { kind: 'resource', id: flags.resource } };
      }
      const org = flags.org ?? (await client.whoami()).organisation?.id;
      if (!org) throw new UsageError('USAGE', say(TEXT.noOrg, this.lang));
      const score = await client.data.organisationQuality(org);
      return { ...score, subject: { kind: 'organisation', id: org } };
    } finally {
      await client.close();
    }
  }

  protected render(result: DataQualityResult): void {
    process.stdout.write(
      `${say(TEXT.score, this.lang, {
        kind: say(TEXT[result.subject.kind], this.lang),
        id: result.subject.id,
        score: result.score.toFixed(1),
        completeness: percent(result.completeness),
        validity: percent(result.validity),
        uniqueness: percent(result.uniqueness),
        timeliness: percent(result.timeliness),
        measuredAt: result.measuredAt,
      })}\n`,
    );
  }
}
