import type { HubErrorDef } from './errors.js';

/** Errors of the demand, application, grant and webhook workflows (docs/sharing-api.md). */
export const WORKFLOW_ERRORS = {
  HUB_ERR_WORKFLOW_STATE: {
    status: 409,
    zh: '{id} 当前状态为 {state}，不能执行“{action}”（当前可执行：{allowed}）',
    en: '{id} is {state}; "{action}" is not possible now (possible: {allowed})',
    hintZh: '用 minjiang share status / demand show 查看当前状态、应由谁处理以及期限。',
    hintEn: 'See the current state, who must act and by when with minjiang share status / demand show.',
  },
  HUB_ERR_NOT_PARTY: {
    status: 403,
    zh: '{id} 不由本机构（{org}）处理这一步',
    en: '{id}: this step is not for your organisation ({org})',
    hintZh: '申请方、提供方和平台各自只能执行属于自己的步骤；查看 next 字段确认应由谁处理。',
    hintEn:
      'Applicant, provider and platform each take only their own steps; the next field says whose turn it is.',
  },
  HUB_ERR_REASON_REQUIRED: {
    status: 422,
    zh: '“{action}”必须说明理由',
    en: '"{action}" needs a reason',
    hintZh: '在请求中填写 reason（命令行用 --reason），说明依据和可改进之处。',
    hintEn: 'Give a reason (--reason on the command line): the basis, and what would change the decision.',
  },
  HUB_ERR_APPLICATION_INVALID: {
    status: 422,
    zh: '申请内容不符合要求，共 {count} 个问题',
    en: 'The application is not acceptable: {count} issues',
    hintZh: '按 issues 中每项的 location 修改后重新提交；信息项名称以目录中已发布版本为准。',
    hintEn:
      "Fix each entry of issues at its location; item names are those of the resource's published version.",
  },
  HUB_ERR_ITEM_NOT_SHAREABLE: {
    status: 422,
    zh: '信息项 {items} 为不予共享（不予开放），不能申请',
    en: 'Items {items} are not shareable (不予共享/不予开放) and cannot be applied for',
    hintZh: '从申请中去掉这些信息项；确有需要时，与提供部门协商或由主管部门协调。',
    hintEn:
      'Leave these items out; if they are truly needed, negotiate with the provider or ask the 主管部门 to coordinate.',
  },
  HUB_ERR_CREDENTIAL_EXISTS: {
    status: 409,
    zh: '授权 {grant} 已有有效凭证 {appKey}',
    en: 'Grant {grant} already has an active credential {appKey}',
    hintZh: '更换密钥请使用 --rotate（旧凭证立即失效）；密钥只在签发时显示一次。',
    hintEn:
      'Rotate with --rotate (the old credential stops working at once); a secret is shown only when issued.',
  },
  HUB_ERR_GRANT_INACTIVE: {
    status: 409,
    zh: '授权 {grant} 的状态为 {status}，不能签发凭证',
    en: 'Grant {grant} is {status}; no credential can be issued',
    hintZh: '授权被暂停、撤销或过期后需由提供方恢复，或重新申请。',
    hintEn: 'A suspended, revoked or expired grant must be resumed by the provider, or applied for again.',
  },
  HUB_ERR_DEMAND_RESOURCE: {
    status: 422,
    zh: '资源 {code} 不是提供方 {org} 登记的资源，不能用来满足需求 {id}',
    en: 'Resource {code} is not registered by the provider {org}; it cannot fulfil demand {id}',
    hintZh: '填写本机构已登记的资源代码（任一状态均可）；尚未登记的，先用 minjiang catalog apply 登记。',
    hintEn:
      'Give the code of a resource your organisation has registered (any status); register a new one first with minjiang catalog apply.',
  },
  HUB_ERR_DEMAND_PROVIDER: {
    status: 422,
    zh: '机构 {provider} 不能作为提供方：它未在本平台登记，或就是需求方本身',
    en: 'Organisation {provider} cannot be the provider: it is not registered at this hub, or it is the requester',
    hintZh:
      '填写另一机构的成员标识（如 350000/GOV/<统一社会信用代码>），可用 GET /api/v1/organisations 查询。',
    hintEn:
      'Give the member id of another organisation (e.g. 350000/GOV/<USCC>); GET /api/v1/organisations lists them.',
  },
  HUB_ERR_WEBHOOK_URL: {
    status: 422,
    zh: 'Webhook 地址不可用：{reason}',
    en: 'The webhook URL is not acceptable: {reason}',
    hintZh:
      '使用不含用户名和密码的 http:// 或 https:// 地址；需要鉴权时用签名头 Minjiang-Signature 校验来源。',
    hintEn:
      'Use an http:// or https:// URL without a user name or password; receivers authenticate deliveries by their Minjiang-Signature header.',
  },
} as const satisfies Record<string, HubErrorDef>;
