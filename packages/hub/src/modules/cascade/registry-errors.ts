import type { HubErrorDef } from '../../errors.js';

/**
 * Errors of cascade registration and of hub-to-hub requests (docs/cascade-api.md). The refusals
 * of a signed hub-to-hub request keep the exchange API's codes (`CLI.*`, exchange-api.md "Every
 * request") so a hub reads the same code whichever API refused it; they come in the hub's usual
 * body `{ code, message, hint }`.
 */
export const CASCADE_REGISTRY_ERRORS = {
  HUB_ERR_CASCADE_REGISTRATION: {
    status: 422,
    zh: '节点注册申请不合格，共 {count} 个问题',
    en: 'The node registration is not acceptable: {count} issues',
    hintZh:
      '按 issues 中每项的 code 和 location 修改：用本节点密钥重新签名、核对上级节点代码和时钟后重新注册。',
    hintEn:
      "Fix each entry of issues: sign again with this hub's node key, check the parent code and the clock, and register again.",
  },
  HUB_ERR_CASCADE_REPLAY: {
    status: 409,
    zh: '该注册申请（随机数 {nonce}）已经提交过',
    en: 'This registration (nonce {nonce}) was already received',
    hintZh: '每次注册都会生成新的签名申请；请重新执行 minjiang cascade register，不要重放旧的请求。',
    hintEn:
      'Each registration is signed afresh: run minjiang cascade register again instead of replaying a request.',
  },
  HUB_ERR_CASCADE_HUB_EXISTS: {
    status: 409,
    zh: '节点 {hub} 已用另一个密钥（{keyId}）登记，状态为 {state}',
    en: 'Hub {hub} is already registered with another key ({keyId}); it is {state}',
    hintZh:
      '节点密钥轮换需另行办理；确需更换时，请省级管理员先驳回（reject）或撤销（revoke）该节点再重新注册。',
    hintEn:
      'Key rotation is a separate procedure; if the key must change, the provincial administrator rejects or revokes the hub and it registers again.',
  },
  HUB_ERR_CASCADE_RATE_LIMITED: {
    status: 429,
    zh: '注册请求过于频繁（每分钟最多 {limit} 次）',
    en: 'Too many registration requests (at most {limit} a minute)',
    hintZh: '稍候一分钟再试。',
    hintEn: 'Wait a minute and try again.',
  },
  HUB_ERR_CASCADE_ROLE: {
    status: 409,
    zh: '本平台的级联角色是 {role}，不能执行“{action}”（需要 {needed}）',
    en: 'This hub runs as {role}; "{action}" needs a {needed} hub',
    hintZh: '省级平台受理下级注册；市级平台用 --role city --parent-url --parent-code 启动后才能向上级注册。',
    hintEn:
      'A province hub registers children; a city hub started with --role city --parent-url --parent-code registers with its parent.',
  },
  HUB_ERR_CASCADE_NO_PARENT: {
    status: 409,
    zh: '本平台尚未配置上级平台，或尚未向上级注册',
    en: 'This hub has no parent configured, or has not registered with it',
    hintZh:
      '用 minjiang hub start --role city --parent-url <地址> --parent-code <代码> 启动，再执行 minjiang cascade register。',
    hintEn:
      'Start with minjiang hub start --role city --parent-url <url> --parent-code <code>, then run minjiang cascade register.',
  },
  HUB_ERR_CASCADE_UNREACHABLE: {
    status: 502,
    zh: '无法连接平台 {url}：{detail}',
    en: 'Hub {url} could not be reached: {detail}',
    hintZh: '检查对方地址、网络和对方平台是否在运行；稍后重试。',
    hintEn: 'Check the address, the network and that the other hub is running; try again later.',
  },
  HUB_ERR_CASCADE_PARENT_ANSWER: {
    status: 502,
    zh: '上级平台 {url} 拒绝了请求（HTTP {status}，{code}）',
    en: 'The parent hub {url} refused the request (HTTP {status}, {code})',
    hintZh: '上级平台的原始答复在 parent 字段中，按其中的 message 和 hint 处理。',
    hintEn: "The parent's answer is in the parent member: act on its message and hint.",
  },
  HUB_ERR_CASCADE_PARENT_KEY: {
    status: 409,
    zh: '上级平台出示的节点密钥 {keyId} 与注册时出示的 {pinned} 不一致，未予信任',
    en: 'The parent presents node key {keyId}, not {pinned} which it presented at registration; it is not trusted',
    hintZh: '向省级平台管理员核实其节点密钥；确认后重新注册。',
    hintEn: "Check the parent's node key with its administrator out of band, then register again.",
  },
  'CLI.BAD_REQUEST': {
    status: 400,
    zh: '节点间请求的签名头不完整或格式不正确：{detail}',
    en: 'The signature headers of the hub-to-hub request are missing or malformed: {detail}',
    hintZh: '用 signRequest（sm2-sm3，keyid 为本节点密钥，SES-Client 为本节点代码）签名整个请求。',
    hintEn:
      "Sign the whole request with signRequest (sm2-sm3, keyid the hub's node key, SES-Client its code).",
  },
  'CLI.DIGEST_MISMATCH': {
    status: 400,
    zh: '请求体与 Content-Digest 不一致：{detail}',
    en: 'The body does not match Content-Digest: {detail}',
    hintZh: '签名后不要修改请求体；检查中间代理是否改写了内容。',
    hintEn: 'Do not change the body after signing; check that no proxy rewrites it.',
  },
  'CLI.TIMESTAMP_SKEW': {
    status: 401,
    zh: '签名时间超出允许范围：{detail}',
    en: 'The signature time is outside the window: {detail}',
    hintZh: '同步两个平台的系统时钟（NTP），误差须在 300 秒以内。',
    hintEn: "Synchronise both hubs' clocks (NTP) to within 300 seconds.",
  },
  'CLI.KEY_UNKNOWN': {
    status: 401,
    zh: '签名密钥不是本平台为该节点登记的密钥：{detail}',
    en: 'The signing key is not the one this hub pinned for that node: {detail}',
    hintZh: '只有注册获批时登记的节点密钥可以调用；下级先完成注册审批，上级的密钥在下级查询注册状态时登记。',
    hintEn:
      "Only the node key pinned at approval may call: a child registers and is approved first; a city pins its parent's key when it reads its status.",
  },
  'CLI.SIG_INVALID': {
    status: 401,
    zh: '节点签名验证失败：{detail}',
    en: 'The node signature does not verify: {detail}',
    hintZh: '检查签名所用的密钥和算法（sm2-sm3），签名后不要改动路径、查询和签名头。',
    hintEn:
      'Check the key and the algorithm (sm2-sm3); do not change the path, query or signed headers after signing.',
  },
  'CLI.NONCE_REPLAY': {
    status: 401,
    zh: '该请求的随机数已经使用过',
    en: 'The nonce of this request was already used',
    hintZh: '每个请求使用新的随机数重新签名，不要重放请求。',
    hintEn: 'Sign each request afresh with a new nonce; do not replay requests.',
  },
} as const satisfies Record<string, HubErrorDef>;
