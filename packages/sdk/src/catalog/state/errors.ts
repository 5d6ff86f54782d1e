import { MinjiangError } from '../../core/errors.js';

/** A `.minjiang` state file cannot be read or written as one. */
export class StateFileError extends MinjiangError {}

/** The hub presents another signing key than the one pinned on first use: nothing is written. */
export class HubKeyChangedError extends MinjiangError {
  constructor(
    path: string,
    pinned: { keyId: string; publicKey: string },
    presented: { keyId: string; publicKey: string },
  ) {
    super(
      'HUB-KEY-CHANGED',
      `枢纽的签名公钥已变化（已固定 ${pinned.keyId}，现为 ${presented.keyId}），拒绝继续`,
      {
        location: path,
        hint: `这可能是枢纽换了密钥，也可能连到了冒充的枢纽。请向枢纽管理员核实新公钥 ${presented.publicKey.slice(0, 16)}…；核实后删除该文件中的 hub.key 以重新固定。`,
      },
    );
  }
}
