import { Flags } from '@oclif/core';
import { hubFlags } from '../../hub-connection.js';
import { messageFlags, ShareTransitionCommand } from '../../share/transition-command.js';

export default class ShareWithdraw extends ShareTransitionCommand {
  static override summary = 'Withdraw an application before it is decided, as the applicant’s officer.';
  static override examples = [
    '<%= config.bin %> share withdraw urn:ses:app:350000:2026:1 --reason 已通过其他渠道获取',
  ];
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why (optional; recorded in the history).', required: false }),
    ...messageFlags,
  };

  protected readonly action = 'withdraw';
}
