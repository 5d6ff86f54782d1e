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
  // Feed-page verification (FED-1xx): what a reader finds wrong with a signed page.
  'FED-101': {
    severity: 'error',
    zh: '订阅页不是载荷类型为 {expected} 的 DSSE 信封',
    en: 'The feed page is not a DSSE envelope of payload type {expected}',
    hintZh: '订阅接口应返回 {payloadType, payload, signatures}；检查下级平台的版本与地址。',
    hintEn: 'The feed endpoint returns {payloadType, payload, signatures}; check the hub version and URL.',
  },
  'FED-102': {
    severity: 'error',
    zh: '订阅页的签名不能用平台 {hub} 登记的节点公钥验证',
    en: 'No signature of the feed page verifies with the node key registered for hub {hub}',
    hintZh: '该页可能被篡改，或该平台更换了密钥：不要采用；由管理员核对并重新登记节点公钥。',
    hintEn:
      'The page was altered or the hub changed its key: do not apply it; an admin re-checks the registered key.',
  },
  'FED-103': {
    severity: 'error',
    zh: '订阅页的载荷不是 JSON 文档',
    en: 'The payload of the feed page is not a JSON document',
    hintZh: '载荷是订阅页 (cascade/feed-page-1.0) 的 JCS 字节；检查下级平台的实现。',
    hintEn:
      "The payload is the JCS bytes of a feed page (cascade/feed-page-1.0); check the hub's implementation.",
  },
  'FED-104': {
    severity: 'error',
    zh: '订阅页来自平台 {found}，应为 {expected}',
    en: 'The feed page is from hub {found}, expected {expected}',
    hintZh: '按登记的下级平台地址读取其订阅；平台代码与地址须一致。',
    hintEn: "Read each registered hub's feed at its own URL; code and URL must belong together.",
  },
  'FED-105': {
    severity: 'error',
    zh: '订阅页从序号 {found} 之后开始，请求的是 {expected} 之后',
    en: 'The feed page starts after seq {found}, but after {expected} was requested',
    hintZh: '下级平台须从请求的游标继续；否则会漏掉或重复条目。',
    hintEn: 'The hub must continue from the requested cursor, or items are lost or repeated.',
  },
  'FED-106': {
    severity: 'error',
    zh: '条目序号 {found} 不符合要求：应为 {expected}',
    en: 'Item seq {found} is out of place: expected {expected}',
    hintZh: '变更页的序号从 from+1 起逐一递增、无空缺；快照页的序号严格递增且位于 (from, to] 内。',
    hintEn:
      'A changes page runs from+1, from+2, … with no gap; a snapshot page increases strictly within (from, to].',
  },
  'FED-107': {
    severity: 'error',
    zh: '订阅页的 to 为 {found}，应为 {expected}',
    en: 'The page says to = {found}, expected {expected}',
    hintZh: 'to 是最后一个条目的序号；空页的 to 等于 from。',
    hintEn: 'to is the seq of the last item; an empty page has to = from.',
  },
  'FED-108': {
    severity: 'error',
    zh: '订阅页的 complete 与 next 不一致：next 为 {found}，应为 {expected}',
    en: 'complete and next disagree: next is {found}, expected {expected}',
    hintZh: '已到末端的页 next 为 null；否则 next 为 c<to>（变更）或 s<to>（快照）。',
    hintEn: 'A complete page has next = null; otherwise next is c<to> (changes) or s<to> (snapshot).',
  },
  'FED-109': {
    severity: 'error',
    zh: '订阅末端 head 为 {found}，小于本页的 to {expected}',
    en: 'head is {found}, below the page end to = {expected}',
    hintZh: 'head 是生成本页时订阅的最大序号，不小于 to。',
    hintEn: 'head is the highest seq of the feed when the page was made; it is never below to.',
  },
  'FED-110': {
    severity: 'error',
    zh: '记录摘要与签名记录的载荷不符：应为 {expected}',
    en: 'The digest does not match the signed record: expected {expected}',
    hintZh: 'digest 是记录载荷字节 (base64 解码后) 的 SM3 摘要；记录或摘要被改动过。',
    hintEn: 'digest is the SM3 of the record payload bytes (base64-decoded); one of them was altered.',
  },
  'FED-111': {
    severity: 'error',
    zh: '记录没有平台 {hub} 节点密钥的有效签名',
    en: 'The record has no valid signature by the node key of hub {hub}',
    hintZh: '只有所有者平台能发布其记录；不要采用该条目。',
    hintEn: 'Only the owner hub publishes its records; do not apply the item.',
  },
  'FED-112': {
    severity: 'error',
    zh: '签名记录不是目录记录 ({expected})',
    en: 'The signed record is not a catalog record ({expected})',
    hintZh: '记录载荷为 {origin, object, version, resource}，载荷类型见接口文档。',
    hintEn: 'The record payload is {origin, object, version, resource}; see the API document for its type.',
  },
  'FED-113': {
    severity: 'error',
    zh: '签名记录中的 {field} 为 {found}，条目为 {expected}',
    en: 'The signed record says {field} = {found}, the item says {expected}',
    hintZh: '条目的 object 与 version 必须与所有者签名的记录一致。',
    hintEn: 'The object and version of an item must be those of the record its owner signed.',
  },
  'FED-114': {
    severity: 'error',
    zh: '快照页中资源 {found} 出现了多次',
    en: 'Object {found} appears more than once in a snapshot page',
    hintZh: '快照只列出每个资源的最新条目（含删除墓碑）。',
    hintEn: 'A snapshot lists the latest item of each object only (tombstones included).',
  },
  // Sync planning (FED-2xx): refusals of single items, the mass-delete guard, and unusable input.
  'FED-201': {
    severity: 'error',
    zh: '资源 {found} 属于平台 {owner}，不能从平台 {expected} 的订阅中接收',
    en: 'Object {found} belongs to hub {owner} and is refused in the feed of hub {expected}',
    hintZh: '一数一源：只有所有者平台能发布其资源；该条目被拒收并应告警。',
    hintEn:
      'One source per record: only the owner hub publishes its objects; the item is refused and alerted.',
  },
  'FED-202': {
    severity: 'error',
    zh: '资源 {object} 的版本 {version} 出现了不同内容（{found}，已有 {expected}）',
    en: 'Version {version} of {object} came with different content ({found}, held {expected})',
    hintZh: '所有者对同一版本发布了两份内容（二义）：保留已有记录并告警，由所有者发布新版本。',
    hintEn:
      'The owner published two contents for one version (equivocation): keep the held record, alert, and have the owner publish a new version.',
  },
  'FED-203': {
    severity: 'error',
    zh: '本次同步将删除 {removals} / {live} 个有效条目（{share}%），超过上限 {max}%，已停止',
    en: 'This sync would remove {removals} of {live} live entries ({share}%), above the limit of {max}%; stopped',
    hintZh: '核对下级平台是否确实撤销了这些资源；确认无误后由管理员显式确认（confirm）后再同步。',
    hintEn:
      'Check the hub really withdrew them; then an admin confirms explicitly (confirm) and syncs again.',
  },
  'FED-204': {
    severity: 'error',
    zh: '订阅页来自平台 {found}，同步的是平台 {expected}',
    en: 'The pages are from hub {found}, but hub {expected} is being synced',
    hintZh: '每次同步只处理一个下级平台的订阅页。',
    hintEn: "A sync plans the pages of one hub's feed only.",
  },
  'FED-205': {
    severity: 'error',
    zh: '订阅页不连续：第 {index} 页从 {found} 之后开始，应不晚于 {expected}',
    en: 'The pages leave a gap: page {index} starts after {found}, expected no later than {expected}',
    hintZh: '从上次的游标起按 next 逐页读取，不要跳页。',
    hintEn: 'Read page by page from the last cursor, following next; never skip a page.',
  },
  'FED-206': {
    severity: 'error',
    zh: '订阅页的方式不可用：{found}',
    en: 'The pages cannot be planned together: {found}',
    hintZh: '一次同步只用一种方式；全量重同步 (snapshot) 须从序号 0 开始列出。',
    hintEn: 'One sync uses one mode; a full resync (snapshot) lists from seq 0.',
  },
  // Node registration (FED-3xx): a city hub asking its parent to be registered.
  'FED-301': {
    severity: 'error',
    zh: '注册申请不是载荷类型为 {expected} 的 DSSE 信封',
    en: 'The registration is not a DSSE envelope of payload type {expected}',
    hintZh: '用 minjiang cascade register 生成并由节点密钥签名注册申请。',
    hintEn: 'Make and sign the request with the node key (minjiang cascade register).',
  },
  'FED-302': {
    severity: 'error',
    zh: '注册申请的签名不能用其中的节点公钥验证',
    en: 'The registration is not signed by the node key it names',
    hintZh: '注册申请须由所登记公钥对应的私钥签名，以证明持有该密钥。',
    hintEn: 'The request is signed with the private half of the key it registers, proving possession.',
  },
  'FED-303': {
    severity: 'error',
    zh: '注册申请的时间 {found} 与当前时间相差超过 {skew} 秒',
    en: 'The registration was signed at {found}, more than {skew} s from now',
    hintZh: '校准下级平台的时钟后重新生成注册申请。',
    hintEn: "Fix the hub's clock and make the request again.",
  },
  'FED-304': {
    severity: 'error',
    zh: '注册申请发给平台 {found}，本平台为 {expected}',
    en: 'The registration is addressed to hub {found}, this hub is {expected}',
    hintZh: '在 parent 中填写要加入的上级平台代码。',
    hintEn: 'Put the code of the hub to join in parent.',
  },
  'FED-305': {
    severity: 'error',
    zh: '平台 {found} 不是上级平台 {expected} 的下级',
    en: 'Hub {found} is not below the parent hub {expected}',
    hintZh: '下级平台代码与上级同属一个省（前两位相同）且不等于上级代码。',
    hintEn: "A child hub's code shares the province (first two digits) with its parent and differs from it.",
  },
  'FED-306': {
    severity: 'error',
    zh: '密钥标识 {found} 不属于平台 {expected}',
    en: 'Key id {found} does not belong to hub {expected}',
    hintZh: '节点密钥标识为 <平台代码>#<标签>。',
    hintEn: 'A node key id is <hub code>#<label>.',
  },
} as const satisfies Record<string, MessageDef>;

export type CascadeMessageCode = keyof typeof cascadeMessages;
