import type { Lang } from '@minjiang/standards';
import type { CatalogPlan, FieldChange, PlannedResource } from '@minjiang/sdk';
import { fill } from '../lang.js';
import type { Paint } from './text.js';

const WORDS = {
  'zh-CN': {
    summary:
      '计划：新建 {create}，更新 {update}，未变 {unchanged}，枢纽侧改动保留 {drift}，冲突 {conflict}，待撤回 {prune}',
    drift: '枢纽侧改动，保留',
    conflict: '冲突（本地与枢纽都改了）',
    local: '本地',
    hub: '枢纽',
  },
  en: {
    summary:
      'plan: {create} to create, {update} to update, {unchanged} unchanged, {drift} hub-side changes kept, {conflict} conflict(s), {prune} to withdraw',
    drift: 'changed on the hub, kept',
    conflict: 'conflict (changed locally and on the hub)',
    local: 'local',
    hub: 'hub',
  },
};

const SIGN: Record<PlannedResource['action'], string> = {
  create: '+',
  update: '~',
  unchanged: '=',
  drift: '≈',
  conflict: '!',
  prune: '-',
};

function value(json: unknown): string {
  return json === undefined ? '∅' : JSON.stringify(json);
}

function changeLine(change: FieldChange): string {
  return `    ${change.pointer}: ${value(change.from)} → ${value(change.to)}`;
}

/** Lines for one resource: what will be sent, what is kept, what conflicts. */
function resourceLines(resource: PlannedResource, lang: Lang, paint: Paint): string[] {
  const words = WORDS[lang];
  const head = `${SIGN[resource.action]} ${resource.code} ${resource.name ?? ''}`.trimEnd();
  const color = resource.action === 'conflict' || resource.action === 'prune' ? paint.red : paint.green;
  const lines = [color(head)];
  if (resource.action === 'update') lines.push(...resource.changes.map(changeLine));
  if (resource.drift.length > 0) {
    lines.push(paint.dim(`  ${words.drift}:`), ...resource.drift.map((d) => paint.dim(changeLine(d))));
  }
  for (const conflict of resource.conflicts) {
    lines.push(
      paint.red(
        `  ${words.conflict} ${conflict.pointer}: ${words.local} ${value(conflict.local)} / ${words.hub} ${value(conflict.hub)}`,
      ),
    );
  }
  return lines;
}

/** The plan for people: changed resources with their field diff; unchanged ones only counted. */
export function renderPlan(plan: CatalogPlan, lang: Lang, paint: Paint): string {
  const lines = plan.resources
    .filter((resource) => resource.action !== 'unchanged')
    .flatMap((resource) => resourceLines(resource, lang, paint));
  lines.push(fill(WORDS[lang].summary, plan.summary));
  return `${lines.join('\n')}\n`;
}
