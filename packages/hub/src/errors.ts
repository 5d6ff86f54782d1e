import { WORKFLOW_ERRORS } from './workflow-errors.js';
import { CASCADE_REGISTRY_ERRORS } from './modules/cascade/registry-errors.js';
import { CASCADE_FEED_ERRORS } from './modules/cascade/feed-errors.js';
import { CASCADE_RETURN_ERRORS } from './modules/cascade/return-errors.js';
import { CASCADE_ROUTING_ERRORS } from './modules/cascade/routing-errors.js';

/** A hub error: a stable code, an HTTP status, and the values its message needs. */
export class HubError extends Error {
  override name = 'HubError';
  readonly code: HubErrorCode;
  readonly statusCode: number;
  readonly params: Record<string, string | number>;
  /** Extra body members, e.g. the issue list of a 422. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: HubErrorCode,
    params: Record<string, string | number> = {},
    details?: Record<string, unknown>,
  ) {
    super(
      `${code}: ${HUB_ERRORS[code].en.replace(/\{(\w+)\}/g, (_m, key: string) => String(params[key] ?? `{${key}}`))}`,
    );
    this.code = code;
    this.statusCode = HUB_ERRORS[code].status;
    this.params = params;
    this.details = details;
  }
}

export interface HubErrorDef {
  status: number;
  zh: string;
  en: string;
  hintZh: string;
  hintEn: string;
}

/** Every error the hub answers with. Keys are the stable codes clients branch on. */
export const HUB_ERRORS = {
  ...WORKFLOW_ERRORS,
  ...CASCADE_REGISTRY_ERRORS,
  ...CASCADE_FEED_ERRORS,
  ...CASCADE_RETURN_ERRORS,
  ...CASCADE_ROUTING_ERRORS,
  HUB_ERR_UNAUTHENTICATED: {
    status: 401,
    zh: '未提供有效的访问令牌',
    en: 'No valid access token was presented',
    hintZh: '在请求头中携带 Authorization: Bearer <令牌>；令牌可能已过期或被撤销，请联系管理员重新签发。',
    hintEn:
      'Send Authorization: Bearer <token>; the token may have expired or been revoked: ask an administrator for a new one.',
  },
  HUB_ERR_FORBIDDEN: {
    status: 403,
    zh: '当前令牌的角色（{roles}）无权执行此操作，需要：{required}',
    en: "The token's roles ({roles}) may not do this; it needs one of: {required}",
    hintZh: '使用具有所需角色的令牌。',
    hintEn: 'Use a token that has one of the required roles.',
  },
  HUB_ERR_NOT_OWNER: {
    status: 403,
    zh: '资源 {code} 属于其他机构，不能修改',
    en: 'Resource {code} belongs to another organisation and cannot be changed',
    hintZh: '各机构只能登记和修改本机构的目录。',
    hintEn: 'An organisation registers and changes only its own catalog.',
  },
  HUB_ERR_NOT_FOUND: {
    status: 404,
    zh: '未找到{what}“{id}”',
    en: '{what} "{id}" was not found',
    hintZh: '检查标识是否正确。',
    hintEn: 'Check the identifier.',
  },
  HUB_ERR_VALIDATION: {
    status: 422,
    zh: '提交的内容不符合标准，共 {count} 个问题',
    en: 'The submission does not meet the standard: {count} issues',
    hintZh: '按 issues 中每项的 location 和 hint 修改后重新提交。',
    hintEn: 'Fix each entry of issues at its location, as its hint says, and submit again.',
  },
  HUB_ERR_BAD_REQUEST: {
    status: 400,
    zh: '请求格式不正确：{detail}',
    en: 'The request is malformed: {detail}',
    hintZh: '检查请求的 JSON 语法、字段类型和参数。',
    hintEn: 'Check the JSON syntax, field types and parameters of the request.',
  },
  HUB_ERR_BODY_TOO_LARGE: {
    status: 413,
    zh: '请求体超过上限 {limit} 字节',
    en: 'The request body exceeds the limit of {limit} bytes',
    hintZh: '分批提交（批量接口每次最多 {batchLimit} 条）。',
    hintEn: 'Split the submission (a batch takes at most {batchLimit} entries).',
  },
  HUB_ERR_BATCH_TOO_LARGE: {
    status: 413,
    zh: '批量请求包含 {count} 条，超过每次上限 {limit} 条',
    en: 'The batch holds {count} entries, more than the limit of {limit} per request',
    hintZh: '把目录拆分为每批不超过 {limit} 条后分别提交。',
    hintEn: 'Split the catalog into batches of at most {limit} entries.',
  },
  HUB_ERR_UNKNOWN_PROVIDER: {
    status: 422,
    zh: '提供方统一社会信用代码 {uscc} 不属于本平台已登记的任何机构',
    en: 'Provider USCC {uscc} is not the code of any organisation registered at this hub',
    hintZh: '检查 provider.uscc；新机构须先由平台管理员登记。',
    hintEn: 'Check provider.uscc; a new organisation must first be registered by a platform administrator.',
  },
  HUB_ERR_PRECONDITION_FAILED: {
    status: 412,
    zh: '资源 {code} 已被修改（当前版本 {current}），If-Match 不匹配',
    en: 'Resource {code} has changed (current version {current}); If-Match does not match',
    hintZh: '重新读取资源，合并修改后以新的 ETag 提交。',
    hintEn: 'Read the resource again, merge your change and send it with the new ETag.',
  },
  HUB_ERR_CONFLICT: {
    status: 409,
    zh: '操作与当前状态冲突：{detail}',
    en: 'The operation conflicts with the current state: {detail}',
    hintZh: '查看资源的当前状态和历史后再操作。',
    hintEn: 'Look at the current state and history before trying again.',
  },
  HUB_ERR_IDEMPOTENCY_MISMATCH: {
    status: 422,
    zh: 'Idempotency-Key“{key}”已用于另一个不同的请求',
    en: 'Idempotency-Key "{key}" was already used for a different request',
    hintZh: '每个不同的写请求使用新的 Idempotency-Key；重试同一请求时使用相同的键和相同的内容。',
    hintEn: 'Use a new key for each different write; a retry sends the same key with the same body.',
  },
  HUB_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: '不支持的内容类型“{type}”',
    en: 'Unsupported content type "{type}"',
    hintZh: '以 Content-Type: application/json 发送 JSON。',
    hintEn: 'Send JSON with Content-Type: application/json.',
  },
  HUB_ERR_AUDIT_UNAVAILABLE: {
    status: 503,
    zh: '审计日志不可写，操作未执行',
    en: 'The audit log cannot be written; nothing was done',
    hintZh: '稍后重试；若持续出现请联系平台运维。',
    hintEn: 'Retry later; if it persists, contact the platform operators.',
  },
  HUB_ERR_AUDIT_BROKEN: {
    status: 409,
    zh: '审计日志在第 {seq} 条校验失败（{reason}），未签署检查点',
    en: 'The audit log fails verification at entry {seq} ({reason}); no checkpoint was signed',
    hintZh: '用 GET /api/v1/audit/verify 和导出文件调查该条目；日志恢复前不会签署新的检查点。',
    hintEn:
      'Investigate the entry with GET /api/v1/audit/verify and an export; no checkpoint is signed until the log is restored.',
  },
  HUB_ERR_DATA_HEADER: {
    status: 422,
    zh: '数据表头不能对应资源 {code} 的信息项：{reason}',
    en: 'The data header does not fit the items of resource {code}: {reason}',
    hintZh: '表头每列应为信息项名称或技术名称，必填项和主键项都要有列；可先用 minjiang data validate 检查。',
    hintEn:
      'Each header cell must be an item name or technical name, with a column for every required and key item; check with minjiang data validate first.',
  },
  HUB_ERR_CHUNK_CHECKSUM: {
    status: 400,
    zh: '数据块 {seq} 的 SM3 校验值不符（收到 {actual}，声明 {declared}），未保存',
    en: 'Chunk {seq} fails its SM3 checksum (got {actual}, declared {declared}); it was not stored',
    hintZh: '数据在传输中损坏：重新发送该数据块。',
    hintEn: 'The data was corrupted in transit: send the chunk again.',
  },
  HUB_ERR_CHUNK_CONFLICT: {
    status: 409,
    zh: '数据块 {seq} 已以不同内容保存（SM3 {stored}）',
    en: 'Chunk {seq} is already stored with different content (SM3 {stored})',
    hintZh: '同一编号只能上传同样的内容；若文件已改变，请取消本次提交并重新提交。',
    hintEn:
      'A chunk number takes the same content only; if the file changed, cancel this submission and submit again.',
  },
  HUB_ERR_CHUNK_FORMAT: {
    status: 400,
    zh: '数据块 {seq} 格式错误：{reason}',
    en: 'Chunk {seq} is malformed: {reason}',
    hintZh: '数据块应为 gzip 压缩的 JSON Lines，每行 [行号, 值1, …]，值的个数与表头列数相同。',
    hintEn:
      'A chunk is gzip of JSON Lines, each line [row number, value 1, …] with one value per header column.',
  },
  HUB_ERR_SUBMISSION_STATE: {
    status: 409,
    zh: '提交 {id} 的状态为“{status}”，不能{action}',
    en: 'Submission {id} is {status} and cannot be {action}',
    hintZh: '用 minjiang data status 查看提交状态；已取消的提交请重新提交。',
    hintEn: 'Look at it with minjiang data status; submit again if it was cancelled.',
  },
  HUB_ERR_SUBMISSION_INCOMPLETE: {
    status: 409,
    zh: '提交 {id} 的数据块不完整：缺少 {missing}，多余 {extra}',
    en: 'Submission {id} is incomplete: chunks missing {missing}, extra {extra}',
    hintZh: '补传缺少的数据块（minjiang data submit --resume {id}）后再提交。',
    hintEn: 'Upload the missing chunks (minjiang data submit --resume {id}), then commit.',
  },
  HUB_ERR_NOT_PUBLISHED: {
    status: 409,
    zh: '资源 {code} 尚未发布，不能汇聚数据',
    en: 'Resource {code} is not published; data cannot be submitted for it',
    hintZh: '先提交目录审核并等待发布。',
    hintEn: 'Submit the catalog entry for review and wait until it is published.',
  },
  HUB_ERR_INTERNAL: {
    status: 500,
    zh: '服务器内部错误',
    en: 'Internal server error',
    hintZh: '稍后重试；若持续出现请把 requestId 告知平台运维。',
    hintEn: 'Retry later; if it persists, give the requestId to the platform operators.',
  },
  HUB_ERR_TICKET_STATE: {
    status: 409,
    zh: '问题工单 {id} 当前状态为 {status}，不能{action}（要求：{needs}）',
    en: 'Problem ticket {id} is {status}; {action} needs {needs}',
    hintZh: '用 GET /api/v1/tickets/{id} 查看工单的当前状态和历史后再操作。',
    hintEn: 'Read the ticket and its history with GET /api/v1/tickets/{id} before trying again.',
  },
  HUB_ERR_NOT_RESPONSIBLE: {
    status: 403,
    zh: '问题工单 {id} 由其他机构（{org}）负责处理',
    en: 'Problem ticket {id} is the responsibility of another organisation ({org})',
    hintZh: '只有数源机构的数据专员可以确认、申诉或整改问题数据。',
    hintEn:
      "Only the responsible organisation's officer acknowledges, disputes or corrects its problem data.",
  },
  HUB_ERR_CORRECTION_INVALID: {
    status: 422,
    zh: '整改内容无效：{detail}',
    en: 'The correction is invalid: {detail}',
    hintZh: '每条整改须指向本工单中未关闭的问题记录，只能修改资源已发布版本中的信息项。',
    hintEn:
      "Each correction names an open problem record of this ticket and changes only items of the resource's published version.",
  },
  HUB_ERR_NO_PUBLISHED_VERSION: {
    status: 409,
    zh: '资源 {code} 没有已发布的版本，无法校验数据',
    en: 'Resource {code} has no published version to check data against',
    hintZh: '资源须先经审核发布，才能汇聚和整改数据。',
    hintEn: 'The resource must be published before its data can be submitted or corrected.',
  },
  HUB_ERR_OBJECTION_OWN_DATA: {
    status: 403,
    zh: '不能对本机构的数据（资源 {code}）提出异议',
    en: 'An organisation cannot object to its own data (resource {code})',
    hintZh: '数源机构直接以增量提交修正自己的数据；异议由其他使用部门或管理员提出。',
    hintEn:
      'The owner corrects its own data with an incremental submission; objections come from other organisations or an administrator.',
  },
} as const satisfies Record<string, HubErrorDef>;

export type HubErrorCode = keyof typeof HUB_ERRORS;

/** Renders an error's message and hint in a language. */
export function renderHubError(
  code: HubErrorCode,
  params: Record<string, string | number>,
  lang: 'zh-CN' | 'en',
) {
  const def: HubErrorDef = HUB_ERRORS[code];
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (_m, key: string) => String(params[key] ?? `{${key}}`));
  return {
    message: fill(lang === 'en' ? def.en : def.zh),
    hint: fill(lang === 'en' ? def.hintEn : def.hintZh),
  };
}
