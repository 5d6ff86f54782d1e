import { Args, Flags } from '@oclif/core';
import type { CatalogPlan } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { readValidCatalog } from '../../catalog-input.js';
import { catalogReadFlags } from '../../flags.js';
import { connectHub, hubFlags } from '../../hub-connection.js';
import { renderPlan } from '../../reports/plan-text.js';
import { stdoutPaint } from '../../ui/paint.js';

export type CatalogPlanResult = CatalogPlan & { statePath: string };

export default class CatalogPlanCommand extends MinjiangCommand<CatalogPlanResult> {
  static override summary = 'Show what `catalog apply` would change: a three-way, field-level plan.';
  static override description =
    'Compares the local catalog, the hub’s current catalog of your organisation and the state of the last apply (kept in .minjiang/ next to the catalog). Fields changed only on the hub since the last apply are kept, fields changed on both sides are conflicts. The catalog is validated first; an invalid catalog is not planned. --offline plans against the hub state saved by the last online plan.';
  static override examples = [
    '<%= config.bin %> catalog plan catalog.xlsx',
    '<%= config.bin %> catalog plan catalog/ --json',
    '<%= config.bin %> catalog plan catalog.yaml --offline',
  ];
  static override strict = false;
  static override args = { files: Args.string({ required: true, description: 'Catalog files or folders.' }) };
  static override flags = {
    ...hubFlags,
    ...catalogReadFlags,
    org: Flags.string({ summary: 'Plan for this organisation (admins; default: the token’s).' }),
    offline: Flags.boolean({ summary: 'Use the hub state saved by the last online plan; no request.' }),
  };

  protected async execute(): Promise<CatalogPlanResult> {
    const { argv, flags } = await this.parse(CatalogPlanCommand);
    const paths = argv as string[];
    const { resources } = await readValidCatalog(paths, {
      ...flags,
      lang: this.lang,
      profile: flags['code-profile'],
    });
    const connection = await connectHub(flags, this.lang, { requireToken: !flags.offline });
    const { CatalogStateStore, planAgainstHub } = await import('@minjiang/sdk');
    const state = CatalogStateStore.forCatalog(paths[0] ?? '.', connection.hub);
    const { plan } = await planAgainstHub(flags.offline ? undefined : connection.client, {
      local: resources,
      state,
      offline: flags.offline,
      ...(flags.org ? { org: flags.org } : {}),
    });
    return { ...plan, statePath: state.statePath };
  }

  protected async render(result: CatalogPlanResult): Promise<void> {
    process.stdout.write(renderPlan(result, this.lang, await stdoutPaint()));
  }
}
