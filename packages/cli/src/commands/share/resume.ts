import { Flags } from '@oclif/core';
import { hubFlags } from '../../hub-connection.js';
import { messageFlags, ShareTransitionCommand } from '../../share/transition-command.js';

export default class ShareResume extends ShareTransitionCommand {
  static override summary =
    'Resume a suspended grant (SUSPENDED → ACTIVE), as the provider’s reviewer or an admin.';
  static override examples = ['<%= config.bin %> share resume urn:ses:app:350000:2026:1'];
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why (optional).', required: false }),
    ...messageFlags,
  };

  protected readonly action = 'resume';
}
