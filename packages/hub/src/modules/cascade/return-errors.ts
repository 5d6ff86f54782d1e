import type { HubErrorDef } from '../../errors.js';

/** Errors of the return flow 回流 (docs/cascade-return.md). */
export const CASCADE_RETURN_ERRORS = {
  HUB_ERR_CASCADE_RETURN_TERMS: {
    status: 422,
    zh: '回流订阅的条件不成立：{detail}',
    en: 'The return-flow subscription cannot be made: {detail}',
    hintZh:
      '区域项与投影项须是该资源已发布版本的数据项，前缀须在下级平台的行政区划内（如 350100 取 3501…），脱敏方案须存在；须给出授权 grant 或理由 reason。',
    hintEn:
      "The region item and the projected items are items of the resource's published version, the prefix lies within the child's region (350100: 3501…), the masking profile exists; give the authorising grant or a reason.",
  },
  HUB_ERR_CASCADE_RETURN_PAGE: {
    status: 502,
    zh: '上级平台 {hub} 的回流页未通过校验（{code}），本页未写入',
    en: 'A row page of parent hub {hub} failed verification ({code}); nothing of it was applied',
    hintZh: '副本停在上一个游标；问题消除后再次同步即从该处继续。持续出现时把 issues 交给上级平台核查。',
    hintEn:
      'The copy stays at its last cursor and the next sync resumes there; if it persists, give the issues to the parent hub.',
  },
} satisfies Record<string, HubErrorDef>;
