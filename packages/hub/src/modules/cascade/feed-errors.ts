import type { HubErrorDef } from '../../errors.js';

/** Errors of the cascade feed and sync (docs/cascade-api.md "Feed", "Sync"). */
export const CASCADE_FEED_ERRORS = {
  HUB_ERR_CASCADE_CURSOR: {
    status: 400,
    zh: '游标“{found}”不是本节点的订阅源游标',
    en: 'The cursor "{found}" is not a feed cursor of this hub',
    hintZh:
      'after 取 c<序号>（变更流，c0 为从头读取）或 s<序号>（快照清单，s0 为完整清单），例如 after=c120003。',
    hintEn:
      'Use after=c<seq> (the change feed; c0 from the start) or s<seq> (the snapshot listing; s0 a full listing), e.g. after=c120003.',
  },
  HUB_ERR_CASCADE_BLOCKED: {
    status: 409,
    zh: '对 {hub} 的同步将删除 {removals} 个现有条目（共 {live} 个，超过 {max}%），已停止等待管理员确认',
    en: 'The sync of {hub} would remove {removals} of {live} live entries (more than {max}%); it stopped for an administrator to confirm',
    hintZh: '核实该市级节点确实撤销了这些目录后，用 minjiang cascade sync {hub} --confirm 确认并应用。',
    hintEn:
      'Once you have checked that the city really withdrew them, confirm and apply with minjiang cascade sync {hub} --confirm.',
  },
} satisfies Record<string, HubErrorDef>;
