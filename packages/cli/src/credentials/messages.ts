import type { Text } from '../lang.js';

/**
 * What the credential store says when it refuses something. No message takes a token as a
 * parameter: errors name the profile, the hub and the file, never the secret.
 */
export const TEXT = {
  exposed: {
    'zh-CN': '凭据文件 {path} 的权限为 {mode}，其他用户可以访问，已拒绝读取',
    en: 'the credentials file {path} has mode {mode}: other users can access it, so it was not read',
  },
  exposedHint: {
    'zh-CN': '运行 `chmod 600 {path}`；如果令牌可能已泄露，请在枢纽上吊销它并重新登录。',
    en: 'Run `chmod 600 {path}`; if the token may have leaked, revoke it on the hub and log in again.',
  },
  foreign: {
    'zh-CN': '凭据文件 {path} 不属于当前用户，已拒绝读取',
    en: 'the credentials file {path} belongs to another user, so it was not read',
  },
  foreignHint: {
    'zh-CN': '用 `chown` 把它改回自己的，或删除它后重新运行 `minjiang login`。',
    en: 'Take it back with `chown`, or delete it and run `minjiang login` again.',
  },
  modeNotKept: {
    'zh-CN': '无法让凭据文件 {path} 只对当前用户可读（权限为 {mode}），令牌未保存',
    en: 'the credentials file {path} could not be made private (mode {mode}); the token was not saved',
  },
  modeNotKeptHint: {
    'zh-CN': '把 MINJIANG_CONFIG_DIR 指向支持 POSIX 权限的目录，或在 CI 中改用环境变量 MINJIANG_TOKEN。',
    en: 'Point MINJIANG_CONFIG_DIR at a directory with POSIX permissions, or use MINJIANG_TOKEN in CI.',
  },
  badFile: {
    'zh-CN': '文件 {path} 不是有效的{what}：{problem}',
    en: '{path} is not a valid {what}: {problem}',
  },
  badCredentialsHint: {
    'zh-CN': '删除该文件，再运行 `minjiang login` 重新保存令牌。',
    en: 'Delete the file, then run `minjiang login` to save the token again.',
  },
  badConfigHint: {
    'zh-CN': '修正该文件，或删除后用 `minjiang login --hub <地址> --profile <名称>` 重新创建配置。',
    en: 'Fix the file, or delete it and recreate profiles with `minjiang login --hub <url> --profile <name>`.',
  },
  credentialsWhat: { 'zh-CN': '凭据文件', en: 'credentials file' },
  configWhat: { 'zh-CN': '配置文件', en: 'profiles file' },
  profileName: {
    'zh-CN': '配置名“{name}”无效',
    en: 'invalid profile name "{name}"',
  },
  profileNameHint: {
    'zh-CN': '配置名以字母或数字开头，由字母、数字、“.”“_”“-”组成，最长 64 个字符。',
    en: 'A profile name starts with a letter or digit and has letters, digits, ".", "_" or "-" (64 at most).',
  },
  hubUrl: {
    'zh-CN': '枢纽地址“{hub}”无效：{problem}',
    en: 'invalid hub URL "{hub}": {problem}',
  },
  hubUrlHint: {
    'zh-CN': '使用 https://枢纽地址（本机测试可用 http://127.0.0.1:端口），不要带用户名、密码、查询串。',
    en: 'Use https://your-hub (http://127.0.0.1:port for local tests), without user, password or query.',
  },
  badToken: {
    'zh-CN': '令牌为空，或含有空白或控制字符',
    en: 'the token is empty or holds whitespace or control characters',
  },
  badTokenHint: {
    'zh-CN': '复制完整的令牌，不要带换行或空格。',
    en: 'Copy the whole token, without line breaks or spaces.',
  },
} satisfies Record<string, Text>;
