import { createHmac } from 'node:crypto';

/**
 * The value transforms of the masking profiles (exchange.md §8.9). Characters are counted as code
 * points, so 汉字 and characters outside the BMP mask one `*` each.
 */

export type MaskRule =
  | { kind: 'none' }
  | { kind: 'keep'; front: number; end: number }
  | { kind: 'address'; upTo: 'township' | 'county'; fallbackFront?: number }
  | { kind: 'email' }
  | { kind: 'pseudonym' }
  | { kind: 'drop' }
  /** A phone item: the mobile rule for 11 digits starting with 1, else the fixed-line rule. */
  | { kind: 'phone'; mobile: MaskRule; fixed: MaskRule };

/** Output patterns of the rules whose output has a fixed shape, for a package's Table Schema. */
export const MASKED_PATTERNS = {
  /** MP-STD-01 resident ID (18 characters): first 6 + last 4. */
  idcard: '^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$',
  /** MP-STD-01 mobile: first 3 + last 4. */
  mobile: '^1[0-9]{2}\\*{4}[0-9]{4}$',
  /** MP-STD-01 bank card (12–19 digits): first 4 + last 4. */
  bankcard: '^[0-9]{4}\\*{4,11}[0-9]{4}$',
  /** MP-STD-01 e-mail: first character of the local part + the domain. */
  email: '^[^@]?\\*+@[^@]+$',
  /** MP-DEID-01 pseudonyms: HMAC-SM3 (32 bytes) in base64url without padding. */
  pseudonym: '^hmac-sm3:[A-Za-z0-9_-]{43}$',
} as const;

/**
 * Keeps the first `front` and last `end` code points and masks the rest. When the value is too
 * short to hide anything that way (a 1-character name, a 4-digit extension), at most half of it is
 * kept, front first, so a short value is never returned whole.
 */
export function keepEnds(value: string, front: number, end: number): string {
  const chars = [...value];
  let keepFront = front;
  let keepEnd = end;
  if (chars.length <= front + end) {
    const budget = Math.floor(chars.length / 2);
    keepFront = Math.min(front, budget);
    keepEnd = Math.min(end, budget - keepFront);
  }
  const masked = chars.length - keepFront - keepEnd;
  return (
    chars.slice(0, keepFront).join('') + '*'.repeat(masked) + chars.slice(chars.length - keepEnd).join('')
  );
}

/** `hmac-sm3:` + base64url HMAC-SM3 under the recipient's key: stable per recipient, unlinkable across. */
export function pseudonym(value: string, recipientKey: string): string {
  return `hmac-sm3:${createHmac('sm3', recipientKey).update(value).digest('base64url')}`;
}

export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return keepEnds(value, 1, 1);
  return `${keepEnds(value.slice(0, at), 1, 0)}${value.slice(at)}`;
}

/** 11 digits starting with 1, after removing spaces, hyphens and a +86 prefix. */
export function compactMobile(value: string): string | undefined {
  const compact = value.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  return /^1\d{10}$/.test(compact) ? compact : undefined;
}

// Administrative units, outermost first. A unit's name may not contain the suffix characters of
// any level, so a greedy street name cannot swallow the next unit; township names also exclude the
// characters of street addresses (路街巷弄号村), so 温泉路乡村基 is not read as a 乡.
const NAME = '(?:(?![省市区县旗镇乡盟])\\p{Script=Han})';
const TOWNSHIP_NAME = '(?:(?![省市区县旗镇乡盟路街巷弄号村])\\p{Script=Han})';
const LEVELS = {
  province: new RegExp(`(?:${NAME}{1,8}?(?:省|自治区|特别行政区)|(?:北京|天津|上海|重庆)市)`, 'uy'),
  prefecture: new RegExp(`${NAME}{1,10}?(?:市|自治州|地区|盟)`, 'uy'),
  county: new RegExp(`${NAME}{1,12}?[区县市旗]`, 'uy'),
  township: new RegExp(`${TOWNSHIP_NAME}{1,10}?(?:街道|镇|乡|苏木)`, 'uy'),
} as const;

/**
 * The length (UTF-16 units) of the administrative prefix of an address, down to `upTo`; 0 when
 * none is recognised. This reads suffixes (省/市/区/县/街道/镇/乡…), which is a heuristic: the
 * semantic generalisation §8.9 recommends — resolving the unit through the GB/T 2260 code table and
 * the 乡镇 list — is better and is not done here.
 */
export function administrativePrefix(address: string, upTo: 'township' | 'county'): number {
  const order =
    upTo === 'county'
      ? (['province', 'prefecture', 'county'] as const)
      : (['province', 'prefecture', 'county', 'township'] as const);
  let at = 0;
  for (const level of order) {
    const pattern = LEVELS[level];
    pattern.lastIndex = at;
    if (pattern.exec(address) !== null) at = pattern.lastIndex;
  }
  return at;
}

/** Keeps the administrative part and masks the rest; undefined means "drop". */
export function maskAddress(
  value: string,
  upTo: 'township' | 'county',
  fallbackFront?: number,
): string | undefined {
  const prefix = administrativePrefix(value, upTo);
  if (prefix === 0) return fallbackFront === undefined ? undefined : keepEnds(value, fallbackFront, 0);
  return value.slice(0, prefix) + '*'.repeat([...value.slice(prefix)].length);
}
