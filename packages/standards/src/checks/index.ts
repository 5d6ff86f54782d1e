export type { CheckLang, CheckOptions, CheckResult } from './result.js';
export { checkResidentId, residentIdCheckDigit } from './resident-id.js';
export type { ResidentIdCheckOptions } from './resident-id.js';
export { checkUscc, usccCheckChar, USCC_AUTHORITIES, USCC_CENTRAL_REGION, USCC_CHARSET } from './uscc.js';
export type { UsccAuthority } from './uscc.js';
export { checkOrgCode, orgCodeCheckChar } from './org-code.js';
export { isIdentifierRegion, isRegionCode, regionOf } from './region.js';
export type { RegionInfo, RegionLevel, RegionOptions } from './region.js';
