import type { Lang } from '@minjiang/standards';

/** Why a value changes; each reason belongs to one fix kind and has a message in both languages. */
export type FixReason =
  | 'full-width'
  | 'trim'
  | 'name-space'
  | 'code-space'
  | 'blank-field'
  | 'letter-upper'
  | 'letter-lower'
  | 'canonical-label'
  | 'date-text'
  | 'date-serial'
  | 'number-text'
  | 'number-to-text'
  | 'boolean-text'
  | 'separator-empty'
  | 'separator-duplicate'
  | 'separator-empty-list';

const MESSAGES: Record<FixReason, { zh: string; en: string }> = {
  'full-width': { zh: '全角字符改为半角', en: 'Full-width characters made half-width' },
  trim: { zh: '去除首尾空白', en: 'Leading and trailing whitespace removed' },
  'name-space': {
    zh: '去除首尾空白，合并或删除中间多余的空白（含全角空格）',
    en: 'Stray whitespace removed (ideographic spaces included)',
  },
  'code-space': { zh: '代码中不应有空白，已删除', en: 'Whitespace removed from a code' },
  'blank-field': { zh: '删除空白的可选字段', en: 'Blank optional field removed' },
  'letter-upper': { zh: '字母改为大写', en: 'Letters made upper case' },
  'letter-lower': { zh: '字母改为小写', en: 'Letters made lower case' },
  'canonical-label': {
    zh: '代码表取值改为标准写法',
    en: 'Code-table value written in its canonical form',
  },
  'date-text': {
    zh: '日期改为 YYYY-MM-DD 格式（按年-月-日读取）',
    en: 'Date written as YYYY-MM-DD (read as year-month-day)',
  },
  'date-serial': { zh: 'Excel 日期序列号改为日期', en: 'Excel serial date number turned into a date' },
  'number-text': { zh: '数字文本改为数值', en: 'Numeric text turned into a number' },
  'number-to-text': { zh: '代码应为文本，数值改为文本', en: 'A code is text: number turned into text' },
  'boolean-text': { zh: '“是/否”改为布尔值', en: 'Yes/no text turned into a boolean' },
  'separator-empty': {
    zh: '删除空条目（多余的分隔符）',
    en: 'Empty entry removed (a doubled separator)',
  },
  'separator-duplicate': { zh: '删除重复条目', en: 'Duplicate entry removed' },
  'separator-empty-list': {
    zh: '删除没有任何条目的可选列表',
    en: 'Optional list without any entry removed',
  },
};

/** Shows a value unambiguously: JSON, with invisible spaces spelled out. */
export function showValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.replace(
    /[\u00A0\u3000\uFEFF\u200B]/gu,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The message of a fix: why, then what was found and what it becomes. */
export function fixMessage(reason: FixReason, lang: Lang, from: unknown, to?: unknown): string {
  const text = MESSAGES[reason];
  const change = to === undefined ? showValue(from) : `${showValue(from)} → ${showValue(to)}`;
  return lang === 'en' ? `${text.en}: ${change}` : `${text.zh}：${change}`;
}
