import { MinjiangError } from '../../core/errors.js';

/** The inputs of a plan cannot make one: a resource without a code, a code twice, a state of another hub. */
export class CatalogPlanError extends MinjiangError {}

/** An apply would withdraw more resources than the threshold allows, and was not forced. */
export class PruneThresholdError extends MinjiangError {
  readonly count: number;
  readonly threshold: number;

  constructor(count: number, threshold: number, codes: string[]) {
    super('CATALOG-PRUNE-THRESHOLD', `将撤回 ${count} 个资源，超过上限 ${threshold} 个；未做任何修改`, {
      location: codes.slice(0, 10).join(', ') + (codes.length > 10 ? ' …' : ''),
      hint: '确认这些资源确实已从本地目录删除后，使用 --force 执行，或调高 --prune-threshold。',
    });
    this.count = count;
    this.threshold = threshold;
  }
}
