import { Flags } from '@oclif/core';
import { hubFlags } from '../../hub-connection.js';
import { messageFlags, ShareTransitionCommand } from '../../share/transition-command.js';

export default class ShareRevoke extends ShareTransitionCommand {
  static override summary =
    'Revoke an approved, active or suspended grant for good, as the provider’s reviewer or an admin.';
  static override examples = [
    '<%= config.bin %> share revoke urn:ses:app:350000:2026:1 --reason 超范围使用数据',
  ];
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why (required).', required: true }),
    ...messageFlags,
  };

  protected readonly action = 'revoke';
}
