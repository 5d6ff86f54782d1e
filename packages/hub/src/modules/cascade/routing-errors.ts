import type { HubErrorDef } from '../../errors.js';

/** Errors of cascade routing of sharing applications (docs/cascade-routing.md). */
export const CASCADE_ROUTING_ERRORS = {
  'HUB.ROUTE_LOOP': {
    status: 508,
    zh: '路由环路或跳数过多：经过 {via}（本平台 {hub}，最多 3 跳）',
    en: 'Routing loop or too many hops: via {via} (this hub {hub}, at most 3 hops)',
    hintZh: '检查各级平台的上级配置：同一申请或调用不能两次经过同一平台，也不能超过 3 跳。',
    hintEn: 'Check the parent settings of the hubs: a request may pass each hub once and at most 3 hops.',
  },
  HUB_ERR_CASCADE_ROUTE_REFUSED: {
    status: 422,
    zh: '平台 {hop} 拒绝了转发的请求（{status} {code}）',
    en: 'Hub {hop} refused the forwarded request ({status} {code})',
    hintZh: '按 hop 中对方平台的错误说明修改后重新申请。',
    hintEn: "Fix what the other hub's answer under hop says, then apply again.",
  },
  HUB_ERR_CASCADE_ROUTED_HMAC: {
    status: 422,
    zh: '跨平台授权 {grant} 只能登记 SM2 公钥凭证，HMAC 密钥不能在平台之间传递',
    en: 'Grant {grant} is issued by another hub: only an SM2 public key may be registered; an HMAC secret never travels between hubs',
    hintZh: '用 minjiang share credentials … --public-key <SM2 公钥> 登记（请求体 publicKey）。',
    hintEn:
      'Register an SM2 key: minjiang share credentials … --public-key <SM2 public key> (body publicKey).',
  },
  HUB_ERR_CASCADE_REMOTE_ORG: {
    status: 409,
    zh: '机构 {org} 是平台 {hub} 的申请方，只在本平台登记为跨平台申请方，不能在本平台签发令牌',
    en: 'Organisation {org} is an applicant of hub {hub}, registered here only for routed applications; it gets no tokens here',
    hintZh: '该机构在其所属平台（{hub}）登录办理；其申请和授权经级联路由同步。',
    hintEn:
      'The organisation works at its own hub ({hub}); its applications and grants reach this hub by cascade routing.',
  },
  HUB_ERR_CASCADE_NO_ROUTE: {
    status: 404,
    zh: '本平台没有跨平台申请 {id} 的路由',
    en: 'This hub holds no route for the routed application {id}',
    hintZh: '该申请不是经本平台转发的，或发送方不是其路由上的平台。',
    hintEn: 'The application was not routed through this hub, or the sender is not on its route.',
  },
} as const satisfies Record<string, HubErrorDef>;
