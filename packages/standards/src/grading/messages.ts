import type { MessageDef } from '../messages/message.js';

/** Codes of grading: the policy document's rules (GRP) and policy conflicts of resources (GRD). */
export const gradingMessages = {
  'GRP-001': {
    severity: 'error',
    zh: '级别“{found}”在策略中出现了不止一次',
    en: 'Level "{found}" appears more than once in the policy',
    hintZh: '每个级别只写一次，合并其允许的共享和开放类型。',
    hintEn: 'List each level once, with all the share and open types it allows.',
  },
  'GRP-002': {
    severity: 'error',
    zh: '策略缺少级别：{found}',
    en: 'The policy lacks levels: {found}',
    hintZh: '为 GB/T 43697 的每个级别（核心数据、重要数据、一般数据4级–1级）写明允许的共享和开放类型。',
    hintEn: 'Give the allowed share and open types of every GB/T 43697 level (core, important, general 4–1).',
  },
  'GRP-003': {
    severity: 'error',
    zh: '“{level}”比“{looser}”更严格，却允许后者不允许的“{found}”',
    en: '"{level}" is stricter than "{looser}" yet allows "{found}", which the looser level does not',
    hintZh: '级别越高允许的共享、开放类型应越少：从较严格的级别中删去该类型，或在较宽松的级别中加上。',
    hintEn:
      'A stricter level allows no more than a looser one: remove the type from the stricter level or add it to the looser one.',
  },
  'GRD-101': {
    severity: 'error',
    zh: '资源定级为{grade}，共享类型“{found}”不在策略“{policy}”允许的范围（{expected}）内',
    en: 'The resource is graded {gradeEn}; share type "{found}" is not allowed by policy "{policy}" ({expected})',
    hintZh: '改为允许的共享类型并写明共享条件，或复核资源的分级。',
    hintEn: 'Change to an allowed share type and state its conditions, or review the grading.',
  },
  'GRD-102': {
    severity: 'error',
    zh: '资源定级为{grade}，开放类型“{found}”不在策略“{policy}”允许的范围（{expected}）内',
    en: 'The resource is graded {gradeEn}; open type "{found}" is not allowed by policy "{policy}" ({expected})',
    hintZh: '改为允许的开放类型（如不予开放或有条件开放并写明条件），或复核资源的分级。',
    hintEn:
      'Change to an allowed open type (not open, or conditional with its conditions), or review the grading.',
  },
  'GRD-103': {
    severity: 'error',
    zh: '信息项“{item}”定级为{grade}，其共享类型“{found}”{inherited}不在策略“{policy}”允许的范围（{expected}）内',
    en: 'Item "{item}" is graded {gradeEn}; its share type "{found}"{inheritedEn} is not allowed by policy "{policy}" ({expected})',
    hintZh: '为该信息项单独设置允许的共享类型并写明条件，或调整资源的共享类型。',
    hintEn: "Give the item its own allowed share type with conditions, or change the resource's share type.",
  },
  'GRD-104': {
    severity: 'error',
    zh: '信息项“{item}”定级为{grade}，其开放类型“{found}”{inherited}不在策略“{policy}”允许的范围（{expected}）内',
    en: 'Item "{item}" is graded {gradeEn}; its open type "{found}"{inheritedEn} is not allowed by policy "{policy}" ({expected})',
    hintZh: '为该信息项单独设置开放类型（如不予开放），或调整资源的开放类型。',
    hintEn: "Give the item its own open type (e.g. not open), or change the resource's open type.",
  },
  'GRD-105': {
    severity: 'error',
    zh: '资源定级为{declared}，低于其信息项“{item}”的级别{grade}（就高从严）',
    en: 'The resource is graded {declaredEn}, below the {gradeEn} of its item "{item}" (the highest level applies)',
    hintZh: '按就高从严原则将资源定级提高到{grade}，或复核该信息项的分级。',
    hintEn:
      'Raise the resource to {gradeEn}, as the highest level of its content applies, or review the item.',
  },
} as const satisfies Record<string, MessageDef>;
