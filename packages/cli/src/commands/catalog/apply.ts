import { Args, Flags } from '@oclif/core';
import type { ApplyResult, CatalogPlan, ReviewWait } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { readValidCatalog } from '../../catalog-input.js';
import { EXIT } from '../../exit-codes.js';
import { catalogReadFlags } from '../../flags.js';
import { connectHub, hubFlags, type HubConnection } from '../../hub-connection.js';
import { renderApply } from '../../reports/apply-text.js';
import { runSteps } from '../../ui/progress.js';
import { stdoutPaint } from '../../ui/paint.js';

export type CatalogApplyResult = ApplyResult & { plan: CatalogPlan['summary']; review?: ReviewWait };

interface Steps {
  resources?: unknown[];
  connection?: HubConnection;
  plan?: CatalogPlan;
  result?: ApplyResult;
  review?: ReviewWait;
}

const STEP = {
  'zh-CN': { read: '读取并校验目录', plan: '读取枢纽状态，生成计划', write: '写入变更', wait: '等待审核' },
  en: {
    read: 'Read and validate the catalog',
    plan: 'Read the hub, plan',
    write: 'Write the changes',
    wait: 'Wait for review',
  },
};

export default class CatalogApply extends MinjiangCommand<CatalogApplyResult> {
  static override summary =
    'Register the catalog at the hub: send only what changed, verify and keep the receipts.';
  static override description =
    'Plans as `catalog plan` does, then sends only created and updated resources, each conditional on the version read, so a concurrent edit fails that resource instead of being overwritten. Fields the hub owns are never sent; conflicts are skipped. Reports created / updated / unchanged / failed / skipped per resource. Receipts are verified with the hub key pinned in .minjiang/ and saved there. --prune withdraws resources gone from the catalog, and refuses more than --prune-threshold unless --force. Exit codes: 5 when some resource failed or conflicted, 7 when --wait ends with reviews pending.';
  static override examples = [
    '<%= config.bin %> catalog apply catalog.xlsx --submit',
    '<%= config.bin %> catalog apply catalog/ --submit --wait --wait-timeout 600',
    '<%= config.bin %> catalog apply catalog/ --prune --json',
  ];
  static override strict = false;
  static override args = { files: Args.string({ required: true, description: 'Catalog files or folders.' }) };
  static override flags = {
    ...hubFlags,
    ...catalogReadFlags,
    org: Flags.string({ summary: 'Apply for this organisation (admins; default: the token’s).' }),
    submit: Flags.boolean({ summary: 'Submit created and updated resources for review.' }),
    wait: Flags.boolean({
      summary: 'Wait until the submitted resources are reviewed (exit 7 if still pending).',
    }),
    'wait-timeout': Flags.integer({ summary: 'Seconds to wait for review.', default: 600, min: 1 }),
    prune: Flags.boolean({ summary: 'Withdraw resources applied before and now gone from the catalog.' }),
    'prune-threshold': Flags.integer({
      summary: 'Refuse to withdraw more than this many without --force.',
      default: 10,
      min: 0,
    }),
    force: Flags.boolean({ summary: 'Prune beyond the threshold.' }),
  };

  protected async execute(): Promise<CatalogApplyResult> {
    const { argv, flags } = await this.parse(CatalogApply);
    const paths = argv as string[];
    const sdk = await import('@minjiang/sdk');
    const words = STEP[this.lang];
    const steps = await runSteps<Steps>(
      [
        {
          title: words.read,
          task: async (ctx) => {
            ctx.resources = (
              await readValidCatalog(paths, { ...flags, lang: this.lang, profile: flags['code-profile'] })
            ).resources;
            ctx.connection = await connectHub(flags, this.lang);
          },
        },
        {
          title: words.plan,
          task: async (ctx) => {
            const state = sdk.CatalogStateStore.forCatalog(paths[0] ?? '.', ctx.connection!.hub);
            const org = flags.org ? { org: flags.org } : {};
            ctx.plan = (
              await sdk.planAgainstHub(ctx.connection!.client, { local: ctx.resources!, state, ...org })
            ).plan;
          },
        },
        {
          title: words.write,
          task: async (ctx, task) => {
            const state = sdk.CatalogStateStore.forCatalog(paths[0] ?? '.', ctx.connection!.hub);
            ctx.result = await sdk.applyCatalogPlan(ctx.connection!.client, ctx.plan!, {
              state,
              prune: flags.prune,
              pruneThreshold: flags['prune-threshold'],
              force: flags.force,
              submit: flags.submit,
              onProgress: (event) => (task.output = `${event.phase} ${event.done}/${event.total}`),
            });
          },
        },
        {
          title: words.wait,
          enabled: () => flags.wait,
          task: async (ctx) => {
            const codes = ctx.result!.outcomes.filter((o) => o.submitted).map((o) => o.code);
            ctx.review = await sdk.waitForReview(ctx.connection!.client, codes, {
              timeoutMs: flags['wait-timeout'] * 1000,
            });
          },
        },
      ],
      {},
      { quiet: this.json },
    );
    const result = steps.result!;
    if (!result.ok) this.exitCode = EXIT.partial;
    else if (steps.review && steps.review.pending.length > 0) this.exitCode = EXIT.pending;
    return { ...result, plan: steps.plan!.summary, ...(steps.review ? { review: steps.review } : {}) };
  }

  protected async render(result: CatalogApplyResult): Promise<void> {
    process.stdout.write(renderApply(result, this.lang, await stdoutPaint()));
  }
}
