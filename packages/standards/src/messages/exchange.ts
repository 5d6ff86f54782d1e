import type { MessageDef } from './message.js';

/** Codes of the sharing-exchange rules: grants (GRT), envelopes and errors (EXC), packages (PKG). */
export const exchangeMessages = {
  'GRT-001': {
    severity: 'error',
    zh: '授权截止时间 {found} 不晚于签发时间 {expected}',
    en: 'The grant ends ({found}) no later than it was issued ({expected})',
    hintZh: 'dateTime 约束（lteq）是授权的截止时间，须晚于 ses:issued。',
    hintEn: 'The dateTime (lteq) constraint is the end of the grant and must be after ses:issued.',
  },
  'GRT-002': {
    severity: 'error',
    zh: '许可缺少“{missing}”约束',
    en: 'The permission has no {missing} constraint',
    hintZh: '平台逐次调用都要核对用途和有效期：每项许可都须有 purpose 和 dateTime 约束。',
    hintEn:
      'The hub checks purpose and time window on every call: each permission constrains purpose and dateTime.',
  },
  'GRT-003': {
    severity: 'error',
    zh: '共享方式为 {mode} 的授权，许可行为应为 {expected}，实际为 {found}',
    en: 'A grant of mode {mode} permits {expected}, not {found}',
    hintZh: 'VERIFY 授权的行为为 ses:verify；API 与 PACKAGE 授权的行为为 read。',
    hintEn: 'VERIFY grants permit ses:verify; API and PACKAGE grants permit read.',
  },
  'GRT-004': {
    severity: 'error',
    zh: '同一许可中约束“{found}”出现了多次',
    en: 'Constraint "{found}" appears more than once in the permission',
    hintZh:
      '每个左操作数与运算符的组合在一项许可中只能出现一次（时间窗口可以有一条 gteq 和一条 lteq）；合并重复的约束。',
    hintEn:
      'Each left operand and operator pair appears once per permission (a time window may have one gteq and one lteq); merge the duplicates.',
  },
  'GRT-005': {
    severity: 'error',
    zh: '授权方 {found} 不是数据集 {expected} 的所有者',
    en: 'The assigner {found} does not own the dataset {expected}',
    hintZh: '授权方的平台代码和统一社会信用代码须与 ses:dataset 中的一致。',
    hintEn: "The assigner's hub and USCC must be those in ses:dataset.",
  },
  'GRT-006': {
    severity: 'error',
    zh: '授权对象 {found} 不属于授权方或不是授权的数据集',
    en: 'The target {found} is neither a service of the assigner nor the granted dataset',
    hintZh: 'API/VERIFY 授权的对象是授权方子系统下的服务标识；PACKAGE 授权的对象是 ses:dataset。',
    hintEn: 'An API or VERIFY target is a service under the assigner; a PACKAGE target is ses:dataset.',
  },
  'GRT-007': {
    severity: 'error',
    zh: '被授权方与授权方是同一成员 {found}',
    en: 'The assignee and the assigner are the same member {found}',
    hintZh: '部门使用本部门数据无需授权；核对 assignee。',
    hintEn: 'A department needs no grant for its own data; check assignee.',
  },
  'EXC-001': {
    severity: 'error',
    zh: '成功响应（code 为 "0"）不应包含错误字段“{property}”',
    en: 'A successful response (code "0") has no error field {property}',
    hintZh: 'hint 与 retryAfter 只用于错误响应；删除该字段。',
    hintEn: 'hint and retryAfter belong to error responses; remove the field.',
  },
  'EXC-002': {
    severity: 'error',
    zh: '错误响应（code 为 {found}）不应包含“{property}”',
    en: 'An error response (code {found}) carries no {property}',
    hintZh: '失败时不返回数据、分页和元数据；删除该字段。',
    hintEn: 'A failed call returns no data, page or meta; remove the field.',
  },
  'EXC-003': {
    severity: 'error',
    zh: '本页记录数 {found} 超过页大小 {expected}',
    en: 'The page holds {found} records, more than its size {expected}',
    hintZh: 'meta.records 是本页的记录数，不能超过 page.size。',
    hintEn: 'meta.records counts this page and cannot exceed page.size.',
  },
  'EXC-004': {
    severity: 'error',
    zh: '错误来源 {found} 与错误代码前缀 {expected} 不一致',
    en: "Origin {found} does not match the code's prefix {expected}",
    hintZh: 'origin 取错误代码点号前的部分（CLI、HUB 或 PRV）。',
    hintEn: 'origin is the part of the code before the dot (CLI, HUB or PRV).',
  },
  'EXC-005': {
    severity: 'error',
    zh: '错误代码 {code} 的 HTTP 状态码应为 {expected}，实际为 {found}',
    en: 'Error {code} goes with HTTP status {expected}, not {found}',
    hintZh: '按交换标准 §8.3 的错误码表使用真实的 HTTP 状态码。',
    hintEn: 'Use the real HTTP status of the error table in §8.3.',
  },
  'EXC-006': {
    severity: 'error',
    zh: '限流错误 {code} 必须给出重试等待时间',
    en: 'Limit error {code} needs retryAfter',
    hintZh: '429 响应须带 Retry-After，并在 retryAfter 中给出相同的秒数。',
    hintEn: 'A 429 response carries Retry-After; put the same seconds in retryAfter.',
  },
  'EXC-007': {
    severity: 'error',
    zh: '错误 {code}（HTTP {status}）不应给出重试等待时间',
    en: 'Error {code} (HTTP {status}) has no retryAfter',
    hintZh: 'retryAfter 只用于 429（限流）和 503（暂不可用）。',
    hintEn: 'retryAfter is only for 429 (limits) and 503 (unavailable).',
  },
  'EXC-008': {
    severity: 'error',
    zh: '错误代码 {found} 不是交换标准定义的代码',
    en: 'Error code {found} is not defined by the exchange standard',
    hintZh: 'CLI. 与 HUB. 代码须取自 §8.3 的错误码表；提供方业务错误使用 PRV. 前缀。',
    hintEn: 'CLI. and HUB. codes come from the table of §8.3; provider business errors use PRV.',
  },
  'PKG-001': {
    severity: 'error',
    zh: '资源名称“{found}”重复',
    en: 'Resource name "{found}" is used twice',
    hintZh: '数据包内的资源名称须唯一。',
    hintEn: 'Resource names are unique within a package.',
  },
  'PKG-002': {
    severity: 'error',
    zh: '文件路径“{found}”被多次使用',
    en: 'Path "{found}" is used more than once',
    hintZh: '每个文件只能属于一个资源的一个分片。',
    hintEn: 'A file belongs to one part of one resource.',
  },
  'PKG-003': {
    severity: 'error',
    zh: '文件路径“{found}”不在 data/ 目录下',
    en: 'Path "{found}" is not under data/',
    hintZh: 'ses-bag 的载荷文件都位于 data/ 目录下（BagIt 1.0）。',
    hintEn: 'The payload files of a ses-bag live under data/ (BagIt 1.0).',
  },
  'PKG-004': {
    severity: 'error',
    zh: '主键字段“{found}”不是该资源的字段',
    en: 'Primary key field "{found}" is not a field of the resource',
    hintZh: 'primaryKey 中的名称须出现在 schema.fields 中。',
    hintEn: 'The names in primaryKey must be in schema.fields.',
  },
  'PKG-005': {
    severity: 'error',
    zh: '字段名“{found}”重复',
    en: 'Field name "{found}" is used twice',
    hintZh: '同一资源的字段名须唯一。',
    hintEn: 'Field names are unique within a resource.',
  },
  'PKG-006': {
    severity: 'error',
    zh: '个人信息字段“{field}”（{pii}）未标明脱敏方法',
    en: 'Personal-information field {field} ({pii}) has no masking rule',
    hintZh: '脱敏规则集不是 MP-NONE 时，个人信息字段须在 ses:masking 中标明脱敏方法（假名字段除外）。',
    hintEn:
      'Unless the profile is MP-NONE, personal-information fields name their rule in ses:masking (pseudonyms excepted).',
  },
} as const satisfies Record<string, MessageDef>;

export type ExchangeMessageCode = keyof typeof exchangeMessages;
