/**
 * 信息资源代码 (resource code) of the 2017 cataloguing guide: 前段码 (分类码: 类 1 digit,
 * 项 2 digits, 目 3 digits, 细目 variable) "/" 后段码 (顺序码). The variable parts differ between
 * provinces, so their lengths are a profile: configuration, not constants.
 */
export interface ResourceCodeProfile {
  id: string;
  description: string;
  /** 细目: allowed length range and characters. */
  detail: { minLength: number; maxLength: number; charset: 'digits' | 'alphanumeric' };
  /** 顺序码: allowed length range; formatting pads to `minLength`. */
  sequence: { minLength: number; maxLength: number };
}

/** The parts of a resource code. */
export interface ResourceCodeParts {
  /** 类: 1 基础, 2 主题, 3 部门. */
  category: '1' | '2' | '3';
  /** 项: two digits. */
  item: string;
  /** 目: three digits. */
  target: string;
  /** 细目 (may be empty where the profile allows). */
  detail: string;
  /** 顺序码, as written (leading zeros kept). */
  sequence: string;
}

export const RESOURCE_CODE_PROFILES = {
  'national-2017': {
    id: 'national-2017',
    description: '2017 guide as published: 细目 of any length (0–24 letters or digits), 顺序码 1–12 digits.',
    detail: { minLength: 0, maxLength: 24, charset: 'alphanumeric' },
    sequence: { minLength: 1, maxLength: 12 },
  },
  fujian: {
    id: 'fujian',
    description:
      'Fujian default (UNCONFIRMED: no DB35 coding standard was found): 细目 0–12 digits, 顺序码 exactly 6 digits.',
    detail: { minLength: 0, maxLength: 12, charset: 'digits' },
    sequence: { minLength: 6, maxLength: 6 },
  },
} as const satisfies Record<string, ResourceCodeProfile>;

export type ResourceCodeProfileName = keyof typeof RESOURCE_CODE_PROFILES;

/** Which part of a code is wrong, as a stable reason. */
export type ResourceCodeFault = 'SHAPE' | 'CATEGORY' | 'DETAIL' | 'SEQUENCE';

export type ParsedResourceCode =
  | { ok: true; parts: ResourceCodeParts; normalized: string }
  | { ok: false; fault: ResourceCodeFault; expected: string };

const SHAPE = /^([0-9])([0-9]{2})([0-9]{3})([0-9A-Z]*)\/([0-9]+)$/;

/** Resolves a profile given by name or as an object. */
export function resourceCodeProfile(
  profile: ResourceCodeProfileName | ResourceCodeProfile = 'fujian',
): ResourceCodeProfile {
  return typeof profile === 'string' ? RESOURCE_CODE_PROFILES[profile] : profile;
}

function detailExpectation(profile: ResourceCodeProfile): string {
  const chars = profile.detail.charset === 'digits' ? 'digits' : 'digits or capital letters';
  return `细目: ${profile.detail.minLength}–${profile.detail.maxLength} ${chars}`;
}

/** Parses a resource code under a profile. Never throws. */
export function parseResourceCode(
  value: unknown,
  profileInput: ResourceCodeProfileName | ResourceCodeProfile = 'fujian',
): ParsedResourceCode {
  const profile = resourceCodeProfile(profileInput);
  const match = typeof value === 'string' ? SHAPE.exec(value.trim()) : null;
  if (!match)
    return { ok: false, fault: 'SHAPE', expected: '类(1)项(2)目(3)细目/顺序码, e.g. 3350010001/000001' };
  const [, category = '', item = '', target = '', detail = '', sequence = ''] = match;
  if (category !== '1' && category !== '2' && category !== '3') {
    return { ok: false, fault: 'CATEGORY', expected: '类: 1 基础, 2 主题, 3 部门' };
  }
  const detailOk =
    detail.length >= profile.detail.minLength &&
    detail.length <= profile.detail.maxLength &&
    (profile.detail.charset === 'alphanumeric' || /^[0-9]*$/.test(detail));
  if (!detailOk) return { ok: false, fault: 'DETAIL', expected: detailExpectation(profile) };
  if (sequence.length < profile.sequence.minLength || sequence.length > profile.sequence.maxLength) {
    return {
      ok: false,
      fault: 'SEQUENCE',
      expected: `顺序码: ${profile.sequence.minLength}–${profile.sequence.maxLength} digits`,
    };
  }
  const parts: ResourceCodeParts = { category, item, target, detail, sequence };
  return { ok: true, parts, normalized: `${category}${item}${target}${detail}/${sequence}` };
}

/** Writes a code from its parts, padding the sequence number to the profile's length. */
export function formatResourceCode(
  parts: Omit<ResourceCodeParts, 'sequence'> & { sequence: string | number },
  profileInput: ResourceCodeProfileName | ResourceCodeProfile = 'fujian',
): string {
  const profile = resourceCodeProfile(profileInput);
  const sequence = String(parts.sequence).padStart(profile.sequence.minLength, '0');
  const code = `${parts.category}${parts.item}${parts.target}${parts.detail}/${sequence}`;
  const parsed = parseResourceCode(code, profile);
  if (!parsed.ok) throw new RangeError(`Cannot format a valid resource code: ${parsed.expected}`);
  return parsed.normalized;
}
