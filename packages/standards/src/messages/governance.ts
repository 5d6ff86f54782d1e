import type { MessageDef } from './message.js';

/** Codes of the data-governance rules: problem records (PRB) and corrections (COR). */
export const governanceMessages = {
  'PRB-001': {
    severity: 'error',
    zh: '处理期限 {found} 不晚于发现时间 {expected}',
    en: 'The deadline {found} is not after the time the problem was found ({expected})',
    hintZh: '处理期限按发现（提交）时间加上规定的工作日计算，须晚于 foundAt。',
    hintEn: 'The deadline is foundAt plus the configured working days, so it lies after foundAt.',
  },
  'PRB-002': {
    severity: 'error',
    zh: '“不予整改”(NOT_FIXED) 的问题数据必须填写处理意见',
    en: 'A NOT_FIXED problem record needs an opinion giving the reason',
    hintZh: '在 opinion 中写明不予整改的理由（如数据无误、超出职责）。',
    hintEn: 'State in opinion why the data stays as it is (e.g. it is right, or outside the remit).',
  },
  'PRB-003': {
    severity: 'error',
    zh: '已关闭的问题数据不能仍带有异议标注',
    en: 'A CLOSED problem record cannot still be marked as disputed',
    hintZh: '关闭前撤销异议标注（disputed 设为 false）。',
    hintEn: 'Clear the dispute mark (disputed: false) before closing.',
  },
  'PRB-004': {
    severity: 'error',
    zh: '责任部门的统一社会信用代码无效：{reason}',
    en: "The responsible department's unified social credit code is invalid: {reasonEn}",
    hintZh: '核对责任（数源）部门的 18 位统一社会信用代码。',
    hintEn: 'Check the 18-character code of the responsible (source) department.',
  },
  'PRB-005': {
    severity: 'error',
    zh: '发现时间 {found} 晚于今天',
    en: 'The problem was found in the future ({found})',
    hintZh: '发现时间不能晚于当前日期；核对时区（应带 +08:00）。',
    hintEn: 'foundAt cannot be after today; check the time zone (+08:00).',
  },
  'COR-001': {
    severity: 'error',
    zh: '处理方式为 {action} 时必须说明理由',
    en: 'A correction with action {action} needs a reason',
    hintZh: '不予整改或提出异议时，在 reason 中写明理由和依据。',
    hintEn: 'When not fixing or disputing, give the reason and its basis in reason.',
  },
  'COR-002': {
    severity: 'error',
    zh: '处理方式为“已整改”(FIX) 时至少要有一项修改',
    en: 'A FIX correction needs at least one change',
    hintZh: '在 changes 中列出被修改的信息项及其原值和新值。',
    hintEn: 'List the changed items with their old and new values in changes.',
  },
  'COR-003': {
    severity: 'error',
    zh: '处理方式为 {action} 时不应有修改内容',
    en: 'A correction with action {action} makes no changes',
    hintZh: '删除 changes，或把处理方式改为 FIX。',
    hintEn: 'Remove changes, or set the action to FIX.',
  },
  'COR-004': {
    severity: 'error',
    zh: '信息项“{item}”的新值与原值相同',
    en: 'Item "{item}" is changed to the value it already had',
    hintZh: '删除这一项修改，或更正新值。',
    hintEn: 'Remove this change, or correct the new value.',
  },
  'COR-005': {
    severity: 'error',
    zh: '信息项“{found}”被修改了多次',
    en: 'Item "{found}" is changed more than once',
    hintZh: '每个信息项只列一次修改，填写最终的新值。',
    hintEn: 'List each item once, with its final value.',
  },
  'COR-006': {
    severity: 'error',
    zh: '处理部门的统一社会信用代码无效：{reason}',
    en: "The correcting department's unified social credit code is invalid: {reasonEn}",
    hintZh: '核对处理部门的 18 位统一社会信用代码。',
    hintEn: "Check the correcting department's 18-character code.",
  },
} as const satisfies Record<string, MessageDef>;

export type GovernanceMessageCode = keyof typeof governanceMessages;
