import { codeTable, findCode } from '../codes/code-table.js';

/**
 * A GB/T 43697-2024 level in canonical form (the grading-level table's label): 核心数据, 重要数据,
 * 一般数据4级 … 一般数据1级.
 */
export type GradeLevel = string;

/** The rank of a level in the grading-level table: 6 (core) … 1 (general level 1); 0 if unknown. */
export function gradeRank(level: string): number {
  const entry = findCode('grading-level', level);
  return typeof entry?.rank === 'number' ? entry.rank : 0;
}

/** A level given as code, label or alias (`general-4`, `一般-4`) in canonical form; undefined if none. */
export function normalizeGrade(value: unknown): GradeLevel | undefined {
  return findCode('grading-level', value)?.label;
}

/** Every level, strictest first. */
export function gradeLevels(): GradeLevel[] {
  return [...codeTable('grading-level').data]
    .sort((a, b) => Number(b.rank) - Number(a.rank))
    .map((entry) => entry.label);
}

/** The stricter of two levels (就高从严). */
export function higherGrade(a: GradeLevel, b: GradeLevel): GradeLevel {
  return gradeRank(b) > gradeRank(a) ? b : a;
}

/** The strictest of some levels, or `fallback` when there are none. */
export function highestGrade(levels: Iterable<GradeLevel>, fallback: GradeLevel): GradeLevel {
  let best = fallback;
  for (const level of levels) best = higherGrade(best, level);
  return best;
}

/** The English label of a level, for messages in English. */
export function gradeLabel(level: GradeLevel, lang: 'zh-CN' | 'en'): string {
  if (lang !== 'en') return level;
  return findCode('grading-level', level)?.labelEn ?? level;
}
