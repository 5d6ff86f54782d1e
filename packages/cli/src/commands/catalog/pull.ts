import { Flags } from '@oclif/core';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';

export type CatalogPullResult = { out: string; format: string; orgId: string; hub: string; codes: string[] };

const TEXT = {
  'zh-CN': '✔ 已把枢纽 {hub} 上 {orgId} 的 {count} 个资源写入 {out}（{format}）',
  en: '✔ wrote the {count} resource(s) of {orgId} at {hub} to {out} ({format})',
};

export default class CatalogPull extends MinjiangCommand<CatalogPullResult> {
  static override summary =
    'Write the hub’s catalog of an organisation into local files (YAML, JSON, CSV or xlsx).';
  static override description =
    'So that edits made elsewhere (on the hub, by a reviewer, by a colleague) come back into git. The format follows --out: a folder (one YAML file per resource), .yaml, .json, .csv or .xlsx (the Minjiang template; --national for the national one). Files are replaced atomically; with a folder, --prune removes files of resources no longer on the hub.';
  static override examples = [
    '<%= config.bin %> catalog pull --out catalog/',
    '<%= config.bin %> catalog pull --out 目录.xlsx',
    '<%= config.bin %> catalog pull --org 350100/GOV/11350100FJ01000501 --out fuzhou.yaml --json',
  ];
  static override flags = {
    ...hubFlags,
    out: Flags.string({
      char: 'o',
      summary: 'Where to write: a folder or a .yaml/.json/.csv/.xlsx file.',
      required: true,
    }),
    org: Flags.string({ summary: 'Whose catalog (default: the token’s organisation).' }),
    national: Flags.boolean({ summary: 'With .xlsx: the national template layout.' }),
    prune: Flags.boolean({ summary: 'With a folder: delete files of resources no longer on the hub.' }),
    encoding: Flags.string({ summary: 'With .csv: utf-8 (default, with BOM), gbk or gb18030.' }),
  };

  protected async execute(): Promise<CatalogPullResult> {
    const { flags } = await this.parse(CatalogPull);
    const { client, hub } = await connectHub(flags, this.lang);
    const sdk = await import('@minjiang/sdk');
    const snapshot = await sdk.gatherHubSnapshot(client, flags.org ? { org: flags.org } : {});
    const resources = Object.values(snapshot.resources)
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((resource) => resource.document);
    const format = sdk.formatForOutput(flags.out, flags.national ? 'national' : 'minjiang');
    await sdk.writeCatalog(flags.out, { resources }, format, {
      prune: flags.prune,
      ...(flags.encoding ? { encoding: flags.encoding } : {}),
    });
    return { out: flags.out, format, orgId: snapshot.orgId, hub, codes: resources.map((r) => r.code) };
  }

  protected render(result: CatalogPullResult): void {
    process.stdout.write(`${say(TEXT, this.lang, { ...result, count: result.codes.length })}\n`);
  }
}
