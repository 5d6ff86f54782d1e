import { Flags } from '@oclif/core';
import { registerWithParent, type CascadeParent } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { parentLines, relayedError, stateExit } from '../../cascade/registry.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say, type Text } from '../../lang.js';

const T: Record<string, Text> = {
  sending: { 'zh-CN': '正在向上级平台提交注册…', en: 'Registering with the parent hub…' },
  pending: {
    'zh-CN': '已提交注册，等待省级平台管理员审批；用 minjiang cascade status 查看结果。',
    en: "Registered; waiting for the provincial administrator's approval. See minjiang cascade status.",
  },
  approved: { 'zh-CN': '上级平台已批准本平台。', en: 'The parent hub has approved this hub.' },
};

export default class CascadeRegister extends MinjiangCommand<CascadeParent> {
  static override summary = 'Register this city hub with its parent (the provincial hub).';
  static override description = `Run against the city hub with its administrator's token. The city hub signs the registration with its node key (SM2) and sends it to the parent it was started with (minjiang hub start --role city --parent-url … --parent-code …); the province stores it PENDING until its administrator approves it. The city holds the key the province presented, and trusts it once the province answers APPROVED (minjiang cascade status). Exit codes: 7 registered, waiting for approval; 0 already approved; 1 the province refused the registration (its issues are shown); 3 not an administrator of this hub, or the province presents another key than before; 6 this hub or the province unreachable. See docs/cascade-registry.md.`;
  static override examples = [
    '<%= config.bin %> cascade register --name 福州市公共数据平台 --base-url https://data.fuzhou.example',
  ];
  static override flags = {
    ...hubFlags,
    name: Flags.string({ summary: 'Name of this hub, e.g. 福州市公共数据平台.', required: true }),
    region: Flags.string({ summary: 'GB/T 2260 code of the area served (default: the hub code).' }),
    'base-url': Flags.string({
      summary: 'Where the province reaches this hub (default: the --hub address).',
    }),
  };

  protected async execute(): Promise<CascadeParent> {
    const { flags } = await this.parse(CascadeRegister);
    const { client, hub } = await connectHub(flags, this.lang);
    try {
      this.note(say(T.sending!, this.lang));
      const parent = await registerWithParent(
        client,
        {
          name: flags.name,
          baseUrl: flags['base-url'] ?? hub,
          ...(flags.region ? { region: flags.region } : {}),
        },
        { lang: this.lang },
      );
      this.exitCode = stateExit(parent.state);
      return parent;
    } catch (error) {
      throw relayedError(error, this.lang);
    } finally {
      await client.close();
    }
  }

  protected render(parent: CascadeParent): void {
    const done = parent.state === 'APPROVED' ? T.approved! : T.pending!;
    process.stdout.write(`${[...parentLines(parent, this.lang), say(done, this.lang)].join('\n')}\n`);
  }
}
