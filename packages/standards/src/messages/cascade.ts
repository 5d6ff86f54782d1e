import type { MessageDef } from './message.js';

/** Codes of the cascade feed rules (FED). */
export const cascadeMessages = {
  'FED-001': {
    severity: 'error',
    zh: '删除 (Delete) 条目不应携带记录',
    en: 'A Delete item carries no record',
    hintZh: '删除条目是永久墓碑，只写原因和可选的后继资源；删除 record。',
    hintEn: 'A Delete is a permanent tombstone with a reason and an optional successor; remove record.',
  },
  'FED-002': {
    severity: 'error',
    zh: '{type} 条目不应有“{property}”',
    en: 'A {type} item has no {property}',
    hintZh: 'reason 与 successor 只用于删除 (Delete) 条目。',
    hintEn: 'reason and successor belong to Delete items only.',
  },
  'FED-003': {
    severity: 'error',
    zh: '后继资源不能是被删除的资源自身',
    en: 'The successor cannot be the deleted dataset itself',
    hintZh: '填写合并后或替代它的数据集标识，或删除 successor。',
    hintEn: 'Name the dataset that replaces it, or remove successor.',
  },
  'FED-004': {
    severity: 'error',
    zh: '因合并 (MERGED) 而删除的资源必须给出后继资源',
    en: 'A dataset deleted as MERGED needs its successor',
    hintZh: '在 successor 中填写合并到的数据集标识。',
    hintEn: 'Put the dataset it was merged into in successor.',
  },
  'FED-005': {
    severity: 'error',
    zh: '新建 (Create) 条目的版本号应为 1，实际为 {found}',
    en: 'A Create item is version 1, found {found}',
    hintZh: '已存在的记录用 Update 发布新版本。',
    hintEn: 'Publish a new version of an existing record as an Update.',
  },
  'FED-006': {
    severity: 'error',
    zh: '密钥 {found} 对记录签名了多次',
    en: 'Key {found} signs the record more than once',
    hintZh: '记录由所有者节点和所有者平台各签一次。',
    hintEn: 'The owner node and the owner hub each sign the record once.',
  },
  'FED-007': {
    severity: 'error',
    zh: '转发平台中包含资源所有者平台 {found}',
    en: 'via lists the owner hub {found}',
    hintZh: 'via 只记录转发该条目的其他平台；所有者平台是条目的来源。',
    hintEn: 'via records the hubs that relayed the item; the owner hub is its source.',
  },
} as const satisfies Record<string, MessageDef>;

export type CascadeMessageCode = keyof typeof cascadeMessages;
