import { Flags } from '@oclif/core';
import type { Application } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';
import { applicationOf } from '../../share/input.js';
import { applicationLines, printLines, withHub } from '../../share/render.js';

const TEXT = {
  filed: { 'zh-CN': '已提交共享申请 {id}', en: 'application {id} filed' },
  draft: {
    'zh-CN': '已保存申请草稿 {id}（用 share submit 提交）',
    en: 'draft application {id} saved (submit with share submit)',
  },
};

export default class ShareApply extends MinjiangCommand<Application> {
  static override summary = 'Apply for shared data (共享申请): file an application and submit it.';
  static override description =
    'Reads the application from a JSON or YAML file (the body of POST /applications) and/or flags, which win over the file. Submitted at once unless --draft. The hub prechecks it: a resource or items marked 不予共享 are refused.';
  static override examples = [
    '<%= config.bin %> share apply --file 申请.yaml',
    "<%= config.bin %> share apply --file 申请.yaml --items '姓名,户籍地址' --from 2026-01-01 --to 2026-12-31 --json",
  ];
  static override flags = {
    ...hubFlags,
    file: Flags.string({ char: 'f', summary: 'The application as JSON or YAML; flags override its fields.' }),
    kind: Flags.string({
      summary: 'sharing (共享申请, default) or open (开放申请).',
      options: ['sharing', 'open'],
    }),
    resource: Flags.string({ char: 'r', summary: 'Code of the published resource.' }),
    items: Flags.string({ summary: 'Item names, comma-separated: a subset of the resource’s items.' }),
    'purpose-code': Flags.string({ summary: 'Purpose code (用途编码), sent later as SES-Purpose.' }),
    purpose: Flags.string({ summary: 'What the data is for (申请事由).' }),
    'scenario-class': Flags.string({ summary: 'Scenario class, e.g. 政务服务, 监管.' }),
    scenario: Flags.string({ summary: 'Scenario description.' }),
    'legal-basis': Flags.string({ summary: 'Legal basis (法律依据).' }),
    'related-matter': Flags.string({ summary: 'The matter (事项) the data serves.' }),
    mode: Flags.string({ summary: 'How the data is delivered.', options: ['API', 'PACKAGE', 'VERIFY'] }),
    from: Flags.string({ summary: 'First day of use, YYYY-MM-DD.' }),
    to: Flags.string({ summary: 'Last day of use, YYYY-MM-DD.' }),
    'per-day': Flags.integer({ summary: 'Expected calls or rows a day.', min: 1 }),
    masking: Flags.string({ summary: 'Masking profile asked for (MP-…; the hub’s default MP-STD-01).' }),
    'contact-name': Flags.string({ summary: 'Contact person.' }),
    'contact-phone': Flags.string({ summary: 'Contact phone.' }),
    commitment: Flags.string({ summary: 'Text of the security commitment; giving it accepts it.' }),
    draft: Flags.boolean({ summary: 'Create a draft without submitting it.' }),
  };

  protected async execute(): Promise<Application> {
    const { flags } = await this.parse(ShareApply);
    const { readApplicationFile } = await import('@minjiang/sdk');
    const file = flags.file ? await readApplicationFile(flags.file) : {};
    const body = { ...applicationOf(file, flags, this.lang), ...(flags.draft ? { submit: false } : {}) };
    return withHub(flags, this.lang, (client) => client.sharing.createApplication(body));
  }

  protected render(app: Application): void {
    const done = say(app.state === 'DRAFT' ? TEXT.draft : TEXT.filed, this.lang, { ...app });
    printLines([done, ...applicationLines(app, this.lang)]);
  }
}
