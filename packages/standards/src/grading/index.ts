export {
  gradeRank,
  gradeLevels,
  normalizeGrade,
  higherGrade,
  highestGrade,
  gradeLabel,
  type GradeLevel,
} from './levels.js';
export {
  DETECTOR_NAMES,
  detectSample,
  detectValue,
  luhnValid,
  sampleText,
  type DetectorName,
  type DetectorHit,
} from './detectors.js';
export {
  checkGradingRules,
  defaultGradingRules,
  GradingRulesError,
  type GradingRuleSet,
  type GradingText,
  type ItemRule,
  type ResourceRule,
  type DetectorRule,
} from './rules.js';
export {
  proposeGrade,
  gradeItem,
  itemRuleMatches,
  type GradeProposal,
  type GradeReason,
  type ItemGrade,
  type ProposeOptions,
} from './engine.js';
export {
  checkGradingConflicts,
  parseGradingPolicy,
  zhejiangGradingPolicy,
  GradingPolicyError,
  type GradingConflict,
  type GradingView,
} from './policy.js';
export { gradingMessages } from './messages.js';
