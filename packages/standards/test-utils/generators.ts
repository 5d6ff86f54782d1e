// Test code, not shipped: fast-check arbitraries of valid identifiers, built from the code tables
// and the package's own check-character functions.
import * as fc from 'fast-check';
import { orgCodeCheckChar } from '../src/checks/org-code.js';
import { residentIdCheckDigit } from '../src/checks/resident-id.js';
import { USCC_AUTHORITIES, USCC_CENTRAL_REGION, USCC_CHARSET, usccCheckChar } from '../src/checks/uscc.js';
import { codeTable } from '../src/codes/code-table.js';

export const ORG_CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const RESIDENT_ID_ALPHABET = '0123456789X';

/** A fixed "now" for tests, so that generated birth dates never fall in the future. */
export const TEST_NOW = new Date('2025-06-30T00:00:00Z');
const EARLIEST_BIRTH_MS = Date.UTC(1850, 0, 1);

function regionCodes(options: { currentOnly?: boolean } = {}): string[] {
  return codeTable('gb2260')
    .data.filter((entry) => !options.currentOnly || entry['current'] === true)
    .map((entry) => entry.code);
}

function yyyymmdd(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Birth dates from 1850-01-01 to TEST_NOW, as YYYYMMDD. */
export function birthDateArb(): fc.Arbitrary<string> {
  const days = Math.floor((TEST_NOW.getTime() - EARLIEST_BIRTH_MS) / 86_400_000);
  return fc.integer({ min: 0, max: days }).map((day) => yyyymmdd(EARLIEST_BIRTH_MS + day * 86_400_000));
}

/** Valid 18-digit resident IDs: any GB/T 2260 code (current or historic), a real date, any sequence. */
export function residentIdArb(options: { currentOnly?: boolean } = {}): fc.Arbitrary<string> {
  const sequence = fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0'));
  return fc
    .tuple(fc.constantFrom(...regionCodes(options)), birthDateArb(), sequence)
    .map(([region, birth, seq]) => {
      const first17 = `${region}${birth}${seq}`;
      return first17 + (residentIdCheckDigit(first17) as string);
    });
}

function charsOf(alphabet: string, length: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength: length, maxLength: length });
}

/** Valid GB 11714 organisation codes, bare 9-character form. */
export function orgCodeArb(): fc.Arbitrary<string> {
  return charsOf(ORG_CODE_ALPHABET, 8).map((body) => body + (orgCodeCheckChar(body) as string));
}

/** Every (registration authority, category) pair that checkUscc accepts. */
export function usccAuthorityPairs(): string[] {
  return Object.entries(USCC_AUTHORITIES).flatMap(([authority, { categories }]) =>
    categories.split('').map((category) => authority + category),
  );
}

/** Valid USCCs: an accepted authority pair, a known region or 100000, a GB 11714 body in the 31-character set. */
export function usccArb(): fc.Arbitrary<string> {
  const regions = [USCC_CENTRAL_REGION, ...regionCodes()];
  return fc
    .tuple(fc.constantFrom(...usccAuthorityPairs()), fc.constantFrom(...regions), charsOf(USCC_CHARSET, 8))
    .map(([pair, region, body]) => {
      const first17 = `${pair}${region}${body}${orgCodeCheckChar(body) as string}`;
      return first17 + (usccCheckChar(first17) as string);
    });
}

/** A few values from an arbitrary, the same on every run. */
export function samples<T>(arb: fc.Arbitrary<T>, count: number, seed = 20_260_101): T[] {
  return fc.sample(arb, { seed, numRuns: count });
}

/** Every value that differs from `value` in exactly one position, using characters of `alphabet`. */
export function singleSubstitutions(
  value: string,
  alphabet: string,
): { position: number; variant: string }[] {
  const variants: { position: number; variant: string }[] = [];
  for (let i = 0; i < value.length; i++) {
    for (const ch of alphabet) {
      if (ch !== value[i])
        variants.push({ position: i, variant: value.slice(0, i) + ch + value.slice(i + 1) });
    }
  }
  return variants;
}
