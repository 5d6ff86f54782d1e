import { Flags } from '@oclif/core';
import { hubFlags } from '../../hub-connection.js';
import { messageFlags, ShareTransitionCommand } from '../../share/transition-command.js';

export default class ShareSuspend extends ShareTransitionCommand {
  static override summary =
    'Suspend an active grant (ACTIVE → SUSPENDED), as the provider’s reviewer or an admin.';
  static override examples = [
    '<%= config.bin %> share suspend urn:ses:app:350000:2026:1 --reason 调用量异常，暂停核查',
  ];
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why (required).', required: true }),
    ...messageFlags,
  };

  protected readonly action = 'suspend';
}
