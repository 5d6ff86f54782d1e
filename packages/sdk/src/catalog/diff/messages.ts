import type { Lang } from '@minjiang/standards';
import type { BreakingKind } from './types.js';

type Params = Record<string, unknown>;

const MESSAGES: Record<BreakingKind, { zh: string; en: string }> = {
  'resource-removed': {
    zh: '资源“{name}”（{code}）已删除，使用该资源的部门将无法继续获取数据',
    en: 'Resource "{name}" ({code}) was removed; departments using it lose access to the data',
  },
  'item-removed': {
    zh: '信息项“{item}”已删除',
    en: 'Information item "{item}" was removed',
  },
  'item-retyped': {
    zh: '信息项“{item}”的数据类型由 {from} 改为 {to}',
    en: 'The data type of item "{item}" changed from {from} to {to}',
  },
  'item-narrowed': {
    zh: '信息项“{item}”的{field}由 {from} 缩小为 {to}，已有数据可能放不下',
    en: 'The {fieldEn} of item "{item}" shrank from {from} to {to}; existing values may not fit',
  },
  'share-tightened': {
    zh: '{subject}的共享类型由“{from}”收紧为“{to}”',
    en: 'The share type of {subjectEn} was tightened from "{from}" to "{to}"',
  },
  'open-tightened': {
    zh: '{subject}的开放类型由“{from}”收紧为“{to}”',
    en: 'The open type of {subjectEn} was tightened from "{from}" to "{to}"',
  },
  'key-changed': {
    zh: '主键信息项由 {from} 改为 {to}，按主键汇聚或定位的数据将对不上',
    en: 'The key items changed from {from} to {to}; data loaded or located by key no longer matches',
  },
};

function show(value: unknown): string {
  if (value === undefined) return '∅';
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The message of a breaking change, with `{name}` placeholders filled. */
export function breakingMessage(kind: BreakingKind, lang: Lang, params: Params): string {
  const template = lang === 'en' ? MESSAGES[kind].en : MESSAGES[kind].zh;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? show(params[key]) : whole));
}
