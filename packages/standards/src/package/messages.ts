import type { MessageDef } from '../messages/message.js';

/**
 * Codes of package verification (exchange.md §8.8), PKG-1xx so they never meet the descriptor
 * rules PKG-00x. The tens digit is the step of the verification algorithm that finds them:
 * 10x opening the transport file (step 1, without decryption), 11x signature (2), 12x tag files
 * (3), 13x payload manifests (4), 14x Payload-Oxum (5), 15x datapackage.json (6), 16x grant (7).
 */
export const packageVerifyMessages = {
  'PKG-101': {
    severity: 'error',
    zh: '传输文件不是可安全读取的 ZIP：{detail}',
    en: 'The transport file is not a safe ZIP: {detail}',
    hintZh: '不要解压或使用该文件；向提供方重新索取数据包。',
    hintEn: 'Do not extract or use the file; ask the provider for the package again.',
  },
  'PKG-102': {
    severity: 'error',
    zh: 'ZIP 根目录应恰好有一个数据包目录及其签名文件，实际为：{found}',
    en: 'The ZIP root must hold exactly one bag directory and its signature, found: {found}',
    hintZh: 'ses-bag 的布局见交换标准 §8.8：<包编号>/ 与 <包编号>.sig.json。',
    hintEn: 'The ses-bag layout (exchange standard §8.8) is <package id>/ and <package id>.sig.json.',
  },
  'PKG-111': {
    severity: 'error',
    zh: '缺少签名文件 {file}',
    en: 'The signature file {file} is missing',
    hintZh: '签名文件位于数据包目录之外、ZIP 根目录下；没有签名的数据包不可信。',
    hintEn: 'The signature sits at the ZIP root, outside the bag; an unsigned package cannot be trusted.',
  },
  'PKG-112': {
    severity: 'error',
    zh: '签名文件不是载荷类型为 {expected} 的 DSSE 信封',
    en: 'The signature file is not a DSSE envelope of payload type {expected}',
    hintZh: '签名须是对 tagmanifest-sm3.txt 原始字节的 DSSE 签名。',
    hintEn: 'The signature must be a DSSE envelope over the raw bytes of tagmanifest-sm3.txt.',
  },
  'PKG-113': {
    severity: 'error',
    zh: '没有一个签名能用给定的公钥验证（签名被篡改或签名者不受信任）',
    en: 'No signature verifies with the keys given (tampered, or signed by an untrusted key)',
    hintZh: '确认公钥是授权方或枢纽的（--key、--hub-key）；否则不要使用该数据包。',
    hintEn:
      "Check the keys are the assigner's or the hub's (--key, --hub-key); otherwise do not use the package.",
  },
  'PKG-114': {
    severity: 'error',
    zh: '签名覆盖的标签清单与数据包中的 tagmanifest-sm3.txt 不同',
    en: 'The signed tag manifest differs from the tagmanifest-sm3.txt in the bag',
    hintZh: '标签清单在签名后被改动：数据包不可信。',
    hintEn: 'The tag manifest changed after signing: the package cannot be trusted.',
  },
  'PKG-115': {
    severity: 'error',
    zh: '未给出用于验证签名的公钥',
    en: 'No public key was given to verify the signature with',
    hintZh: '用 --key <十六进制公钥> 或 --hub-key 指定授权方或枢纽的 SM2 公钥。',
    hintEn: "Give the assigner's or hub's SM2 key with --key <hex> or --hub-key.",
  },
  'PKG-121': {
    severity: 'error',
    zh: '缺少标签文件 {file}',
    en: 'Tag file {file} is missing',
    hintZh:
      '每个 ses-bag 都有 bagit.txt、bag-info.txt、datapackage.json、两份载荷清单和 tagmanifest-sm3.txt。',
    hintEn:
      'Every ses-bag has bagit.txt, bag-info.txt, datapackage.json, both payload manifests and tagmanifest-sm3.txt.',
  },
  'PKG-122': {
    severity: 'error',
    zh: '{file} 第 {line} 行格式错误',
    en: '{file} line {line} is malformed',
    hintZh: '清单每行为“<十六进制摘要> <相对路径>”；标签文件每行为“标签: 值”。',
    hintEn: 'Manifest lines are "<hex digest> <relative path>"; tag-file lines are "Label: value".',
  },
  'PKG-123': {
    severity: 'error',
    zh: '标签文件 {file} 的 SM3 摘要与 tagmanifest-sm3.txt 不符',
    en: 'The SM3 digest of tag file {file} does not match tagmanifest-sm3.txt',
    hintZh: '该文件在签名后被改动：数据包不可信。',
    hintEn: 'The file changed after signing: the package cannot be trusted.',
  },
  'PKG-124': {
    severity: 'error',
    zh: '标签文件 {file} 未列入 tagmanifest-sm3.txt',
    en: 'Tag file {file} is not listed in tagmanifest-sm3.txt',
    hintZh: '签名只覆盖标签清单所列的文件；未列出的标签文件不受保护。',
    hintEn:
      'The signature covers only the files the tag manifest lists; an unlisted tag file is unprotected.',
  },
  'PKG-125': {
    severity: 'error',
    zh: '{manifest} 列出的文件 {file} 不存在',
    en: '{manifest} lists {file}, which is missing',
    hintZh: '数据包不完整：向提供方重新索取。',
    hintEn: 'The package is incomplete: ask the provider for it again.',
  },
  'PKG-126': {
    severity: 'error',
    zh: 'bagit.txt 应声明 BagIt-Version: 1.0 与 Tag-File-Character-Encoding: UTF-8',
    en: 'bagit.txt must declare BagIt-Version: 1.0 and Tag-File-Character-Encoding: UTF-8',
    hintZh: 'ses-bag 基于 BagIt 1.0（RFC 8493），标签文件为 UTF-8。',
    hintEn: 'ses-bag builds on BagIt 1.0 (RFC 8493) with UTF-8 tag files.',
  },
  'PKG-127': {
    severity: 'error',
    zh: 'bag-info.txt 缺少字段 {field} 或该字段重复',
    en: 'bag-info.txt lacks {field}, or repeats it',
    hintZh: '交换标准 §8.8 列出 bag-info.txt 的必填字段，每个字段出现一次。',
    hintEn: 'Exchange standard §8.8 lists the bag-info.txt fields; each appears once.',
  },
  'PKG-131': {
    severity: 'error',
    zh: '载荷文件 {file} 的 {algorithm} 摘要与 {manifest} 不符',
    en: 'The {algorithm} digest of payload file {file} does not match {manifest}',
    hintZh: '该文件在打包后被改动或损坏：数据包不可信。',
    hintEn: 'The file changed or was damaged after packaging: the package cannot be trusted.',
  },
  'PKG-132': {
    severity: 'error',
    zh: '载荷文件 {file} 只列在 {listed} 中，未列在 {missing} 中',
    en: 'Payload file {file} is listed in {listed} but not in {missing}',
    hintZh: '每个载荷文件须同时列在 SM3 与 SHA-512 两份清单中。',
    hintEn: 'Every payload file is listed in both the SM3 and the SHA-512 manifest.',
  },
  'PKG-133': {
    severity: 'error',
    zh: '{manifest} 列出的载荷文件 {file} 不存在',
    en: '{manifest} lists payload file {file}, which is missing',
    hintZh: '载荷不完整或被删减：向提供方重新索取数据包。',
    hintEn: 'The payload is incomplete or was cut: ask the provider for the package again.',
  },
  'PKG-134': {
    severity: 'error',
    zh: '文件 {file} 未列入任何清单',
    en: 'File {file} is not listed in any manifest',
    hintZh: '数据包中不得有未列出的文件（避免“未引用条目”攻击）；不要使用该文件。',
    hintEn: 'A package holds no unlisted file (the "unreferenced entry" pitfall); do not use it.',
  },
  'PKG-135': {
    severity: 'error',
    zh: '{manifest} 中的路径 {file} 不在 data/ 下或不安全',
    en: 'Path {file} in {manifest} is not a safe path under data/',
    hintZh: '载荷清单只列 data/ 下的相对路径，不含 “..”。',
    hintEn: 'Payload manifests list relative paths under data/ without "..".',
  },
  'PKG-141': {
    severity: 'error',
    zh: 'Payload-Oxum 为 {expected}，实际载荷为 {found}',
    en: 'Payload-Oxum says {expected}, the payload is {found}',
    hintZh: 'Payload-Oxum 是“字节数.文件数”；不符说明载荷被增删或截断。',
    hintEn: 'Payload-Oxum is "octets.files"; a mismatch means files were added, removed or truncated.',
  },
  'PKG-151': {
    severity: 'error',
    zh: 'datapackage.json 不是有效的数据包描述：{detail}',
    en: 'datapackage.json is not a valid package descriptor: {detail}',
    hintZh: '描述文件须符合 package-descriptor-1.0 模式（Frictionless v2 子集）。',
    hintEn: 'The descriptor must match the package-descriptor-1.0 schema (a Frictionless v2 subset).',
  },
  'PKG-152': {
    severity: 'error',
    zh: '资源 {resource} 的路径 {file} 不是数据包内的相对路径（绝对路径、URL 或含 “..”）',
    en: 'Resource {resource} path {file} is not a relative path inside the bag (absolute, URL or "..")',
    hintZh: 'Frictionless 的 path 只能是包根目录下的相对 POSIX 路径；URN 放在 ses:* 属性中。',
    hintEn: 'Frictionless paths are relative POSIX paths under the bag root; URNs go in ses:* properties.',
  },
  'PKG-153': {
    severity: 'error',
    zh: '资源 {resource} 的路径 {file} 不是已列出的载荷文件',
    en: 'Resource {resource} path {file} is not a listed payload file',
    hintZh: '资源路径须指向 data/ 下、两份清单都列出的文件。',
    hintEn: 'Resource paths point at files under data/ listed in both manifests.',
  },
  'PKG-154': {
    severity: 'error',
    zh: '资源 {resource} 声明 {expected} 字节，实际 {found} 字节',
    en: 'Resource {resource} declares {expected} bytes, has {found}',
    hintZh: 'bytes 是资源全部分片的字节数之和。',
    hintEn: 'bytes is the total size of all parts of the resource.',
  },
  'PKG-155': {
    severity: 'error',
    zh: '资源 {resource} 的摘要与声明的 {expected} 不符',
    en: 'The digest of resource {resource} does not match the declared {expected}',
    hintZh: 'hash 是资源全部分片按顺序拼接后的 SM3 摘要。',
    hintEn: 'hash is the SM3 digest of all parts of the resource, concatenated in order.',
  },
  'PKG-156': {
    severity: 'error',
    zh: '{what} 不一致：{expected} 与 {found}',
    en: '{what} disagree: {expected} and {found}',
    hintZh: '数据包目录名、bag-info.txt 与 datapackage.json 中的包编号、授权、接收方须一致。',
    hintEn: 'The bag directory, bag-info.txt and datapackage.json agree on package id, grant and recipient.',
  },
  'PKG-157': {
    severity: 'error',
    zh: '载荷文件 {file} 不属于 datapackage.json 中的任何资源',
    en: 'Payload file {file} belongs to no resource of datapackage.json',
    hintZh: '每个载荷文件都须由描述文件说明其结构；不要使用未说明的文件。',
    hintEn: 'The descriptor describes every payload file; do not use an undescribed one.',
  },
  'PKG-161': {
    severity: 'error',
    zh: '数据包的授权为 {found}，应为 {expected}',
    en: 'The package is under grant {found}, expected {expected}',
    hintZh: '数据包只能在其授权下使用；核对授权编号（授权须为 ACTIVE，见审计日志）。',
    hintEn:
      'A package is used under its own grant only; check the grant id (it must be ACTIVE, see the audit log).',
  },
  'PKG-162': {
    severity: 'error',
    zh: '数据包的接收方为 {found}，应为 {expected}',
    en: 'The package is for recipient {found}, expected {expected}',
    hintZh: '数据包绑定接收方：不是发给本单位的数据包不得使用。',
    hintEn: 'A package is bound to its recipient: do not use one addressed to another member.',
  },
} as const satisfies Record<string, MessageDef>;

export type PackageVerifyCode = keyof typeof packageVerifyMessages;
