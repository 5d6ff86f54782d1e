import type { MessageDef } from './message.js';

/** Codes of the audit-log rules: leaves and checkpoints (AUD). */
export const auditMessages = {
  'AUD-001': {
    severity: 'error',
    zh: '失败事件必须记录错误代码',
    en: 'A failure records its error code',
    hintZh: '在 errorCode 中记录返回的错误代码（如 HUB.GRANT_NONE）。',
    hintEn: 'Put the error code returned (e.g. HUB.GRANT_NONE) in errorCode.',
  },
  'AUD-002': {
    severity: 'error',
    zh: 'HTTP 状态码 {found} 与结果代码 {code} 不一致',
    en: 'HTTP status {found} does not fit response code {code}',
    hintZh: '结果代码为 "0" 时 HTTP 状态码为 2xx；其他结果代码对应 4xx/5xx。',
    hintEn: 'Code "0" goes with a 2xx status; any other code with 4xx or 5xx.',
  },
  'AUD-003': {
    severity: 'error',
    zh: '途经平台中包含记录平台自身 {found}',
    en: 'via lists the recording hub {found} itself',
    hintZh: 'via 只列出请求在到达本平台之前经过的平台。',
    hintEn: 'via lists the hubs the request passed before this one.',
  },
  'AUD-004': {
    severity: 'error',
    zh: '未知的申请状态迁移“{found}”',
    en: 'Unknown application transition "{found}"',
    hintZh: '可用的迁移：{expected}。',
    hintEn: 'Known transitions: {expected}.',
  },
  'AUD-005': {
    severity: 'error',
    zh: '目录变更 {change} 的版本号 {found} 不合理',
    en: 'Catalog change {change} cannot have version {found}',
    hintZh: 'Create 的版本号为 1；Update 与 Delete 的版本号大于 1。',
    hintEn: 'A Create is version 1; an Update or Delete is later than version 1.',
  },
  'AUD-006': {
    severity: 'error',
    zh: '响应结果代码为 {code}，事件结果却为 {found}',
    en: 'The response code is {code} but the result is {found}',
    hintZh: '结果代码为 "0" 的调用记为 success，其他记为 failure。',
    hintEn: 'A call answered with code "0" is a success; any other is a failure.',
  },
  'AUD-007': {
    severity: 'error',
    zh: '第一个签名的密钥 {found} 不是日志来源平台 {expected} 的密钥',
    en: "The first signature's key {found} is not a key of the log's hub {expected}",
    hintZh: '检查点的第一个签名由日志所属平台的密钥（{expected}#标签）签署，见证签名随后。',
    hintEn: "The log's own hub key ({expected}#label) signs first; witness cosignatures follow.",
  },
  'AUD-008': {
    severity: 'error',
    zh: '密钥 {found} 签名了多次',
    en: 'Key {found} signs more than once',
    hintZh: '每个密钥只签一次；见证法定数按不同的密钥计算。',
    hintEn: 'Each key signs once; the witness quorum counts distinct keys.',
  },
  'AUD-009': {
    severity: 'error',
    zh: '空树（size 为 0）的根哈希应为 SM3 空串摘要',
    en: 'An empty tree (size 0) has the SM3 hash of the empty string as its root',
    hintZh: '根哈希应为 {expected}。',
    hintEn: 'The root must be {expected}.',
  },
  'AUD-010': {
    severity: 'error',
    zh: '日志来源中的平台代码 {found} 不是已知的行政区划代码',
    en: 'The hub code {found} in the origin is not a known division code',
    hintZh: '日志来源写作 ses.{平台代码}.audit/v1，平台代码为 GB/T 2260 代码。',
    hintEn: 'The origin is ses.{hub}.audit/v1 with a GB/T 2260 hub code.',
  },
  'AUD-011': {
    severity: 'warning',
    zh: '检查点尚无见证签名',
    en: 'The checkpoint has no witness cosignature yet',
    hintZh: '验证方只接受带有平台签名和法定数量见证签名的检查点。',
    hintEn: 'Verifiers accept a checkpoint only with the hub signature plus a quorum of cosignatures.',
  },
  'AUD-012': {
    severity: 'error',
    zh: '成功事件不应带有错误代码 {found}',
    en: 'A success carries no error code ({found})',
    hintZh: '删除 errorCode，或把事件结果改为 failure。',
    hintEn: 'Remove errorCode, or set the result to failure.',
  },
} as const satisfies Record<string, MessageDef>;

export type AuditMessageCode = keyof typeof auditMessages;
