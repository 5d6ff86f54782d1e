import type { MessageDef } from './message.js';

/**
 * Codes for schema (JSON Schema keyword) errors. They are shared by every standard: the
 * location and the field's title say which field, the code says what kind of mistake.
 */
export const schemaMessages = {
  'SCH-001': {
    severity: 'error',
    zh: '缺少必填字段“{field}”',
    en: 'Required field "{field}" is missing',
    hintZh: '请填写“{field}”（{property}）。',
    hintEn: 'Fill in "{field}" ({property}).',
  },
  'SCH-002': {
    severity: 'error',
    zh: '“{field}”的类型应为{expected}，实际为 {found}',
    en: '"{field}" must be of type {expected}, found {found}',
    hintZh: '把该值改为{expected}。代码、证件号等标识请写成带引号的文本，以保留前导零。',
    hintEn:
      'Change the value to type {expected}. Write codes and ID numbers as quoted text so leading zeros survive.',
  },
  'SCH-003': {
    severity: 'error',
    zh: '“{field}”的取值“{found}”不在允许的取值范围内',
    en: '"{field}" has the value "{found}", which is not one of the allowed values',
    hintZh: '允许的取值：{expected}。也可填写对应的代码，系统会自动规范化。',
    hintEn: 'Allowed values: {expected}. The matching code is accepted too and normalised.',
  },
  'SCH-004': {
    severity: 'error',
    zh: '“{field}”的格式不正确：“{found}”',
    en: '"{field}" is not in the expected form: "{found}"',
    hintZh: '应符合格式 {expected}。',
    hintEn: 'It must match {expected}.',
  },
  'SCH-005': {
    severity: 'error',
    zh: '存在标准未定义的字段“{property}”',
    en: 'Field "{property}" is not defined by the standard',
    hintZh: '检查字段名拼写，或删除该字段。',
    hintEn: 'Check the spelling of the field name, or remove the field.',
  },
  'SCH-006': {
    severity: 'error',
    zh: '“{field}”不是有效的 {expected}：“{found}”',
    en: '"{field}" is not a valid {expected}: "{found}"',
    hintZh: '日期写作 YYYY-MM-DD，日期时间写作 ISO 8601（如 2025-06-01T09:00:00+08:00）。',
    hintEn: 'Write dates as YYYY-MM-DD and date-times as ISO 8601 (e.g. 2025-06-01T09:00:00+08:00).',
  },
  'SCH-007': {
    severity: 'error',
    zh: '“{field}”的长度不符合要求（{expected}）',
    en: 'The length of "{field}" is out of range ({expected})',
    hintZh: '调整文本长度，使其满足 {expected}。',
    hintEn: 'Adjust the text so that its length is {expected}.',
  },
  'SCH-008': {
    severity: 'error',
    zh: '“{field}”的数值超出范围（{expected}）',
    en: '"{field}" is out of range ({expected})',
    hintZh: '填写满足 {expected} 的数值。',
    hintEn: 'Enter a number that is {expected}.',
  },
  'SCH-009': {
    severity: 'error',
    zh: '“{field}”的条目数不符合要求（{expected}）',
    en: '"{field}" has the wrong number of entries ({expected})',
    hintZh: '增加或删除条目，使数量满足 {expected}。',
    hintEn: 'Add or remove entries so that there are {expected}.',
  },
  'SCH-010': {
    severity: 'error',
    zh: '“{field}”必须为固定值 {expected}',
    en: '"{field}" must be exactly {expected}',
    hintZh: '把该值改为 {expected}。',
    hintEn: 'Set the value to {expected}.',
  },
  'SCH-011': {
    severity: 'error',
    zh: '“{field}”中存在重复条目',
    en: '"{field}" contains duplicate entries',
    hintZh: '删除重复的条目。',
    hintEn: 'Remove the duplicates.',
  },
  'SCH-012': {
    severity: 'error',
    zh: '“{field}”不满足结构约束：{detail}',
    en: '"{field}" does not satisfy a structural constraint: {detail}',
    hintZh: '对照标准说明检查该字段的组合方式。',
    hintEn: 'Check how this field must be combined, in the standard.',
  },
} as const satisfies Record<string, MessageDef>;

export type SchemaMessageCode = keyof typeof schemaMessages;
