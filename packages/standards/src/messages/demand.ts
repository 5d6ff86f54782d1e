import type { MessageDef } from './message.js';

/** Codes of the demand (需求) rules that JSON Schema cannot express. */
export const demandMessages = {
  'DEM-001': {
    severity: 'error',
    zh: '状态为“已满足”(FULFILLED) 的需求必须填写满足情况',
    en: 'A FULFILLED demand needs its fulfilment',
    hintZh: '在 fulfilment.resourceCode 中填写满足该需求的信息资源代码。',
    hintEn: 'Put the code of the resource that meets the demand in fulfilment.resourceCode.',
  },
  'DEM-002': {
    severity: 'error',
    zh: '状态为“不予满足”(DECLINED) 的需求必须说明理由',
    en: 'A DECLINED demand needs a reason',
    hintZh: '在 declineReason 中写明不予满足的理由（如无此数据、无法律依据）。',
    hintEn: 'State why in declineReason (e.g. no such data, no legal basis).',
  },
  'DEM-003': {
    severity: 'error',
    zh: '需求状态为“{state}”，不能有满足情况',
    en: 'A demand in state {state} cannot have a fulfilment',
    hintZh: '满足情况只属于 FULFILLED 或 CLOSED 的需求；删除 fulfilment 或更正状态。',
    hintEn: 'Only FULFILLED or CLOSED demands have a fulfilment; remove it or correct the state.',
  },
  'DEM-004': {
    severity: 'error',
    zh: '最后一条流转记录的状态 {found} 与需求状态 {expected} 不一致',
    en: 'The last history entry ({found}) does not record the current state ({expected})',
    hintZh: '每次状态迁移都要追加一条流转记录，最后一条即当前状态。',
    hintEn: 'Every transition appends a history entry; the last one is the current state.',
  },
  'DEM-005': {
    severity: 'error',
    zh: '流转记录时间 {found} 早于前一条记录或需求创建时间',
    en: 'History time {found} is earlier than the previous entry or the creation time',
    hintZh: '流转记录按时间先后排列，且不早于 createdAt。',
    hintEn: 'History entries are in time order and not before createdAt.',
  },
  'DEM-006': {
    severity: 'error',
    zh: '状态为“{state}”的流转记录必须说明理由',
    en: 'A history entry of state {state} needs a reason',
    hintZh: '在该流转记录的 reason 中写明不予满足或撤回的理由。',
    hintEn: "Write the reason for declining or withdrawing in the entry's reason.",
  },
  'DEM-007': {
    severity: 'error',
    zh: '期望完成日期 {found} 早于需求创建日期 {expected}',
    en: 'The expected date {found} is before the demand was created ({expected})',
    hintZh: '期望完成日期应不早于创建日期。',
    hintEn: 'The expected date cannot be before the creation date.',
  },
  'DEM-008': {
    severity: 'error',
    zh: '需求部门的统一社会信用代码无效：{reason}',
    en: "The requester's unified social credit code is invalid: {reasonEn}",
    hintZh: '核对需求部门的 18 位统一社会信用代码。',
    hintEn: "Check the requester's 18-character code.",
  },
  'DEM-009': {
    severity: 'error',
    zh: '期望提供部门不能是需求部门自身',
    en: 'The expected provider cannot be the requester itself',
    hintZh: '本部门的数据无需通过需求获取；填写其他部门或删除 expectedProvider。',
    hintEn: 'A department does not demand its own data; name another department or remove expectedProvider.',
  },
} as const satisfies Record<string, MessageDef>;

export type DemandMessageCode = keyof typeof demandMessages;
