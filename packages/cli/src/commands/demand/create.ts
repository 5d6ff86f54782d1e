import { Flags } from '@oclif/core';
import type { Demand } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { demandOf } from '../../demand/input.js';
import { demandLines, printLines, withHub } from '../../demand/render.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

const TEXT = {
  filed: { 'zh-CN': '已提交数据需求 {id}', en: 'demand {id} filed' },
};

export default class DemandCreate extends MinjiangCommand<Demand> {
  static override summary = 'File a data demand (数据需求) for data the catalog does not offer yet.';
  static override description =
    'Reads the demand from a JSON or YAML file (the body of POST /demands) and/or flags, which win over the file. With an expected provider the hub routes it there at once and the provider’s deadline (working days) starts; without one, the platform routes it or another organisation claims it.';
  static override examples = [
    '<%= config.bin %> demand create --file 需求.yaml',
    "<%= config.bin %> demand create --subject 企业登记人员户籍核验 --items '公民身份号码,姓名' --purpose 企业开办核验 --scenario 政务服务 --contact-name 林晓 --contact-phone 0591-87654321 --provider 350000/GOV/<统一社会信用代码> --json",
  ];
  static override flags = {
    ...hubFlags,
    file: Flags.string({ char: 'f', summary: 'The demand as JSON or YAML; flags override its fields.' }),
    subject: Flags.string({ summary: 'Name of the demand (需求名称).' }),
    description: Flags.string({ summary: 'What is needed, in more words (需求描述).' }),
    items: Flags.string({ summary: 'Wanted item names, comma-separated (所需信息项).' }),
    purpose: Flags.string({ summary: 'What the data is for (使用用途).' }),
    'legal-basis': Flags.string({ summary: 'The law or provision that makes the need lawful (需求依据).' }),
    scenario: Flags.string({ summary: 'Scenario class.', options: ['政务服务', '公共服务', '监管', '其他'] }),
    urgency: Flags.string({
      summary: 'Urgency (default NORMAL).',
      options: ['NORMAL', 'URGENT', 'CRITICAL'],
    }),
    provider: Flags.string({
      summary: 'Member id of the organisation expected to provide it (期望提供部门).',
    }),
    'expected-date': Flags.string({ summary: 'Wanted by this day, YYYY-MM-DD (期望完成日期).' }),
    'contact-name': Flags.string({ summary: 'Contact person.' }),
    'contact-phone': Flags.string({ summary: 'Contact phone.' }),
  };

  protected async execute(): Promise<Demand> {
    const { flags } = await this.parse(DemandCreate);
    const { readDemandFile } = await import('@minjiang/sdk');
    const file = flags.file ? await readDemandFile(flags.file) : {};
    const body = demandOf(file, flags, this.lang);
    return withHub(flags, this.lang, (client) => client.demands.create(body));
  }

  protected render(demand: Demand): void {
    printLines([say(TEXT.filed, this.lang, { ...demand }), ...demandLines(demand, this.lang)]);
  }
}
