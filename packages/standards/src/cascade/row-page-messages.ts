import type { MessageDef } from '../messages/message.js';

/** Codes of the return flow (回流): checks of a signed row page and of the copy it builds (RET). */
export const returnMessages = {
  'RET-101': {
    severity: 'error',
    zh: '不是数据回流页的 DSSE 信封（应为 {expected}）',
    en: 'Not a DSSE envelope of a return row page (expected {expected})',
    hintZh: '回流页由上级平台用节点密钥签名，载荷类型为 application/vnd.ses.row-page+json;v=1。',
    hintEn:
      "A row page is signed by the parent hub's node key with payload type application/vnd.ses.row-page+json;v=1.",
  },
  'RET-102': {
    severity: 'error',
    zh: '回流页的签名不能用平台 {hub} 已固定的节点公钥验证',
    en: 'No signature of the row page verifies with the node key pinned for hub {hub}',
    hintZh: '页面被改动，或上级平台更换了密钥；核对 minjiang cascade status 中固定的密钥。',
    hintEn:
      'The page was altered, or the parent changed its key; check the key pinned in minjiang cascade status.',
  },
  'RET-103': {
    severity: 'error',
    zh: '回流页的载荷不是回流页文档：{found}',
    en: 'The signed payload is not a row page: {found}',
    hintZh:
      '载荷是回流页的 JCS 字节（hub、subscription、from、to、head、rows、stateDigest、items 等）；检查上级平台的实现。',
    hintEn:
      "The payload is the JCS bytes of a row page (hub, subscription, from, to, head, rows, stateDigest, items …); check the parent hub's implementation.",
  },
  'RET-104': {
    severity: 'error',
    zh: '回流页属于 {found}，应为 {expected}',
    en: 'The row page belongs to {found}, expected {expected}',
    hintZh: '每个订阅只接受其上级平台为该订阅签发的页面。',
    hintEn: 'A subscription accepts only the pages its parent hub signed for it.',
  },
  'RET-105': {
    severity: 'error',
    zh: '回流页起始游标为 {found}，请求的是 {expected}',
    en: 'The row page starts after {found}, but {expected} was requested',
    hintZh: '上级平台应从请求的游标之后开始返回。',
    hintEn: 'The parent answers from the cursor it was asked for.',
  },
  'RET-106': {
    severity: 'error',
    zh: '回流页中行的序号或主键不合规：{found}',
    en: 'Row sequence or key out of order in the page: {found}',
    hintZh: '一页中序号严格递增、每个行主键只出现一次。',
    hintEn: 'Within a page seq strictly increases and each row key appears once.',
  },
  'RET-107': {
    severity: 'error',
    zh: '回流页的游标字段不一致：{found}',
    en: "The page's cursor fields disagree: {found}",
    hintZh: 'to 为最后一行的序号（空页为 from），head 不小于 to，complete 时 next 为 null，否则 next 为 to。',
    hintEn: 'to is the last seq (from when empty), head ≥ to, next is null when complete and to otherwise.',
  },
  'RET-108': {
    severity: 'error',
    zh: '第 {found} 行的摘要与其内容的 SM3 不符',
    en: 'The digest of row {found} is not the SM3 of its content',
    hintZh: '行摘要为 sm3: 加上投影、脱敏后的行的 JCS 字节的 SM3；该行在传输中被改动。',
    hintEn:
      'A row digest is sm3: and the SM3 of the JCS bytes of the projected, masked row; the row was altered.',
  },
  'RET-109': {
    severity: 'error',
    zh: '本地副本与上级平台不一致：本地 {found} 行，上级 {expected} 行，状态摘要不同',
    en: 'The local copy differs from the parent: {found} rows here, {expected} there, and the state digests differ',
    hintZh: '不要手工修补；用 minjiang cascade return sync --full 从头重新复制，并把差异报告给上级平台。',
    hintEn:
      'Do not patch it by hand; copy again from the start with minjiang cascade return sync --full and report the difference to the parent.',
  },
} as const satisfies Record<string, MessageDef>;

export type ReturnMessageCode = keyof typeof returnMessages;
