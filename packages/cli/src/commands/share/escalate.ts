import { Flags } from '@oclif/core';
import { hubFlags } from '../../hub-connection.js';
import { messageFlags, ShareTransitionCommand } from '../../share/transition-command.js';

export default class ShareEscalate extends ShareTransitionCommand {
  static override summary =
    'Escalate a rejected application to the 主管部门 (REJECTED → ESCALATED), as the applicant’s officer.';
  static override examples = [
    '<%= config.bin %> share escalate urn:ses:app:350000:2026:1 --reason 办理社会救助须核验户籍地址',
  ];
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why the rejection should be reconsidered (required).', required: true }),
    ...messageFlags,
  };

  protected readonly action = 'escalate';
}
