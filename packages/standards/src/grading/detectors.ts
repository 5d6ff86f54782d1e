import { checkResidentId } from '../checks/resident-id.js';
import { checkUscc } from '../checks/uscc.js';
import { COMPOUND_SURNAMES, SINGLE_SURNAMES } from './surnames.js';

/** The value detectors the rules may name. */
export const DETECTOR_NAMES = ['residentId', 'uscc', 'mobile', 'personName', 'address', 'bankCard'] as const;

export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** What one detector found in a sample of values. */
export interface DetectorHit {
  detector: DetectorName;
  /** Non-empty values looked at. */
  sampled: number;
  /** Values the detector recognised. */
  hits: number;
  /** hits / sampled, rounded to 3 decimals (0 when nothing was sampled). */
  hitRate: number;
}

/** Values longer than this are free text, not an identifier, a name or an address. */
const MAX_VALUE = 120;

/** Digits and letters as typed: spaces, hyphens and full-width forms removed. */
function compact(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s-]/g, '');
}

/** Luhn (ISO/IEC 7812-1) check over a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

// A fixed clock keeps the resident-ID check from depending on the day a sample is graded.
const FAR_FUTURE = new Date('2999-12-31T00:00:00Z');

function isResidentId(value: string): boolean {
  return checkResidentId(value, { now: FAR_FUTURE }).ok;
}

/** A mainland mobile number: 1[3-9] and 9 more digits, with an optional +86 / 86 / 0086 prefix. */
function isMobile(value: string): boolean {
  return /^(?:\+?86|0086)?1[3-9]\d{9}$/.test(compact(value));
}

/** A bank card number: 16–19 digits passing Luhn, and not a resident ID that happens to pass it. */
function isBankCard(value: string): boolean {
  const digits = compact(value);
  return /^\d{16,19}$/.test(digits) && luhnValid(digits) && !isResidentId(digits);
}

/**
 * A Chinese person's name: 2–4 Han characters (or a transliterated name with a middle dot)
 * that begin with a common surname. Organisation names are longer and end in 局/公司/中心…
 */
function isPersonName(value: string): boolean {
  const name = value.trim();
  if (/^[\u4e00-\u9fff]{2,8}[·•][\u4e00-\u9fff]{2,10}$/.test(name)) return true;
  if (!/^[\u4e00-\u9fff]{2,4}$/.test(name)) return false;
  const compound = COMPOUND_SURNAMES.some((surname) => name.startsWith(surname) && name.length > 2);
  return compound || SINGLE_SURNAMES.includes(name.charAt(0));
}

/** A postal address: an administrative unit (省/市/区/县/镇/乡/村/街道) and a locator (路/街/号/室…). */
function isAddress(value: string): boolean {
  const text = value.trim();
  if (text.length < 6) return false;
  return (
    /(省|市|区|县|旗|镇|乡|村|街道|社区)/.test(text) && /(路|街|巷|弄|大道|号|栋|幢|单元|室|组)/.test(text)
  );
}

const TESTS: Record<DetectorName, (value: string) => boolean> = {
  residentId: isResidentId,
  uscc: (value) => checkUscc(value).ok,
  mobile: isMobile,
  personName: isPersonName,
  address: isAddress,
  bankCard: isBankCard,
};

/** Whether one value is of a detector's kind. Never throws. */
export function detectValue(detector: DetectorName, value: string): boolean {
  return value.length <= MAX_VALUE && TESTS[detector](value);
}

/** The non-empty values of a sample as text: numbers become digits, anything else is skipped. */
export function sampleText(values: readonly unknown[]): string[] {
  const texts: string[] = [];
  for (const value of values) {
    if (typeof value === 'string' && value.trim() !== '') texts.push(value.trim());
    else if (typeof value === 'number' && Number.isFinite(value)) texts.push(String(value));
  }
  return texts;
}

/** Runs detectors over a sample of one item's values and says how often each recognised them. */
export function detectSample(
  values: readonly unknown[],
  detectors: readonly DetectorName[] = DETECTOR_NAMES,
): DetectorHit[] {
  const texts = sampleText(values);
  return detectors.map((detector) => {
    const hits = texts.filter((text) => detectValue(detector, text)).length;
    const hitRate = texts.length === 0 ? 0 : Math.round((hits / texts.length) * 1000) / 1000;
    return { detector, sampled: texts.length, hits, hitRate };
  });
}
