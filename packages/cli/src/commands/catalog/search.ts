import { Args, Flags } from '@oclif/core';
import type { CatalogListItem } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { fill } from '../../lang.js';

export type CatalogSearchResult = {
  query: string;
  items: Pick<CatalogListItem, 'code' | 'name' | 'orgId' | 'status' | 'version'>[];
  truncated: boolean;
};

const SUMMARY = { 'zh-CN': '共 {count} 个资源{more}', en: '{count} resource(s){more}' };
const MORE = { 'zh-CN': '（还有更多，用 --limit 放宽）', en: ' (more: raise --limit)' };

export default class CatalogSearch extends MinjiangCommand<CatalogSearchResult> {
  static override summary = 'Search the hub catalog: Chinese terms of one or two characters work.';
  static override examples = [
    '<%= config.bin %> catalog search 户籍',
    '<%= config.bin %> catalog search 企业 登记 --share-type 无条件共享 --json',
  ];
  static override strict = false;
  static override args = {
    terms: Args.string({ required: true, description: 'Search terms (all must match).' }),
  };
  static override flags = {
    ...hubFlags,
    org: Flags.string({ summary: 'Only resources of this organisation (member id).' }),
    'share-type': Flags.string({ summary: 'Only this share type (无条件共享, 有条件共享, 不予共享).' }),
    status: Flags.string({ summary: 'Only this review status (published, draft, …).' }),
    limit: Flags.integer({ summary: 'At most this many results.', default: 50, min: 1, max: 10_000 }),
  };

  protected async execute(): Promise<CatalogSearchResult> {
    const { argv, flags } = await this.parse(CatalogSearch);
    const query = (argv as string[]).join(' ');
    const { client } = await connectHub(flags, this.lang);
    const items: CatalogSearchResult['items'] = [];
    const pages = client.listResources({
      q: query,
      limit: Math.min(flags.limit, 500),
      ...(flags.org ? { org: flags.org } : {}),
      ...(flags['share-type'] ? { shareType: flags['share-type'] } : {}),
      ...(flags.status ? { status: flags.status } : {}),
    });
    for await (const { code, name, orgId, status, version } of pages) {
      if (items.length === flags.limit) return { query, items, truncated: true };
      items.push({ code, name, orgId, status, version });
    }
    return { query, items, truncated: false };
  }

  protected render(result: CatalogSearchResult): void {
    for (const item of result.items) {
      process.stdout.write(`${item.code}\t${item.name}\t${item.orgId}\t${item.status} v${item.version}\n`);
    }
    const more = result.truncated ? MORE[this.lang] : '';
    process.stderr.write(`${fill(SUMMARY[this.lang], { count: result.items.length, more })}\n`);
  }
}
