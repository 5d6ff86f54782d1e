import type { MessageDef } from './message.js';

/** Codes of the organisation rules (identity standard) that JSON Schema cannot express. */
export const identityMessages = {
  'ORG-001': {
    severity: 'error',
    zh: '机构的统一社会信用代码无效：{reason}',
    en: "The organisation's unified social credit code is invalid: {reasonEn}",
    hintZh: '核对统一社会信用代码证书或事业单位法人证书上的 18 位代码。',
    hintEn: 'Copy the 18-character code from the registration certificate.',
  },
  'ORG-002': {
    severity: 'error',
    zh: '“{field}”的值 {found} 不是已知的 GB/T 2260 行政区划代码',
    en: '{field} {found} is not a known GB/T 2260 division code',
    hintZh: '使用民政部公布的 6 位行政区划代码，例如 350000（福建省）、350100（福州市）。',
    hintEn:
      'Use a 6-digit division code published by the Ministry of Civil Affairs, e.g. 350000 (Fujian) or 350100 (Fuzhou).',
  },
  'ORG-003': {
    severity: 'error',
    zh: '机构标识 {found} 与平台代码、成员类别和统一社会信用代码不一致',
    en: 'The organisation id {found} does not agree with platformCode, memberClass and uscc',
    hintZh: '机构标识应为 {expected}（平台代码/成员类别/统一社会信用代码）。',
    hintEn: 'The id must be {expected} ({platform}/{class}/{USCC}).',
  },
  'ORG-004': {
    severity: 'error',
    zh: '省级平台机构不能有上级机构',
    en: 'The provincial platform organisation has no parent',
    hintZh: '删除 parent，或把机构类型改为 city、department 或 unit。',
    hintEn: 'Remove parent, or change kind to city, department or unit.',
  },
  'ORG-005': {
    severity: 'error',
    zh: '类型为“{kind}”的机构必须填写上级机构',
    en: 'An organisation of kind "{kind}" needs a parent',
    hintZh: '部门和单位填写所属平台机构的标识；市级平台填写省级平台机构的标识。',
    hintEn:
      'Departments and units name their platform organisation; a city platform names the provincial one.',
  },
  'ORG-006': {
    severity: 'error',
    zh: '机构不能以自身为上级机构',
    en: 'An organisation cannot be its own parent',
    hintZh: '在 parent 中填写上级机构的标识。',
    hintEn: 'Put the id of the parent organisation in parent.',
  },
  'ORG-007': {
    severity: 'error',
    zh: '所在行政区划 {found} 不在所属平台 {platform} 的范围内',
    en: 'Region {found} is outside the area of platform {platform}',
    hintZh: '省级、市级平台机构的行政区划即平台代码；其他机构的行政区划须位于所属平台辖区内。',
    hintEn:
      "A platform organisation's region is its platform code; any other organisation lies within its platform's area.",
  },
  'ORG-008': {
    severity: 'warning',
    zh: '成员类别为 GOV（行政机关），但统一社会信用代码 {found} 不以 11（机构编制—机关）开头',
    en: 'Member class GOV (government organ) but the USCC {found} does not start with 11 (机构编制, 机关)',
    hintZh: '核对成员类别：事业单位为 PUB，公共服务企业为 ENT。',
    hintEn: 'Check the member class: public institutions are PUB, public-service enterprises ENT.',
  },
} as const satisfies Record<string, MessageDef>;

export type IdentityMessageCode = keyof typeof identityMessages;
