import { Flags } from '@oclif/core';
import { hubFlags } from '../../hub-connection.js';
import { messageFlags, ShareTransitionCommand } from '../../share/transition-command.js';

export default class ShareSubmit extends ShareTransitionCommand {
  static override summary = 'Submit a draft application (DRAFT → PRECHECK), as the applicant’s officer.';
  static override examples = ['<%= config.bin %> share submit urn:ses:app:350000:2026:1'];
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why (optional).', required: false }),
    ...messageFlags,
  };

  protected readonly action = 'submit';
}
