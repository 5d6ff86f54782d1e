import { Args, Flags } from '@oclif/core';
import { federatedEntries, type CascadeEntry, type CatalogListItem } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { fill } from '../../lang.js';

type SearchItem = Pick<CatalogListItem, 'code' | 'name' | 'orgId' | 'status' | 'version'> & {
  /** The child hub that owns a federated entry (`--federated`); absent for this hub's own. */
  origin?: string;
};

export type CatalogSearchResult = {
  query: string;
  items: SearchItem[];
  truncated: boolean;
};

const SUMMARY = { 'zh-CN': '共 {count} 个资源{more}', en: '{count} resource(s){more}' };
const MORE = { 'zh-CN': '（还有更多，用 --limit 放宽）', en: ' (more: raise --limit)' };
const ORIGIN = { 'zh-CN': '来源节点 ', en: 'from hub ' };

/** A federated entry as a search result: the owner's document when held, its origin always. */
function federatedItem(entry: CascadeEntry): SearchItem {
  const provider = (entry.resource?.provider ?? {}) as { uscc?: string };
  return {
    code: entry.resourceCode,
    name: entry.name ?? '',
    orgId: provider.uscc ? `${entry.origin}/GOV/${provider.uscc}` : entry.origin,
    status: 'published',
    version: entry.version,
    origin: entry.origin,
  };
}

export default class CatalogSearch extends MinjiangCommand<CatalogSearchResult> {
  static override summary = 'Search the hub catalog: Chinese terms of one or two characters work.';
  static override examples = [
    '<%= config.bin %> catalog search 户籍',
    '<%= config.bin %> catalog search 企业 登记 --share-type 无条件共享 --json',
    '<%= config.bin %> catalog search 不动产 --federated',
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
    federated: Flags.boolean({
      summary: "At the province: also the city hubs' live entries (with their origin), read-only.",
      default: false,
    }),
  };

  protected async execute(): Promise<CatalogSearchResult> {
    const { argv, flags } = await this.parse(CatalogSearch);
    const query = (argv as string[]).join(' ');
    const { client } = await connectHub(flags, this.lang);
    const items: SearchItem[] = [];
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
    if (!flags.federated) return { query, items, truncated: false };
    for await (const entry of federatedEntries(client, { q: query, status: 'live' }, { lang: this.lang })) {
      if (items.length === flags.limit) return { query, items, truncated: true };
      items.push(federatedItem(entry));
    }
    return { query, items, truncated: false };
  }

  protected render(result: CatalogSearchResult): void {
    for (const item of result.items) {
      const origin = item.origin ? `\t${ORIGIN[this.lang]}${item.origin}` : '';
      process.stdout.write(
        `${item.code}\t${item.name}\t${item.orgId}\t${item.status} v${item.version}${origin}\n`,
      );
    }
    const more = result.truncated ? MORE[this.lang] : '';
    process.stderr.write(`${fill(SUMMARY[this.lang], { count: result.items.length, more })}\n`);
  }
}
