import { orgCodeCheckChar } from './org-code.js';
import { isIdentifierRegion } from './region.js';
import { echo, firstBadChar, lastCheckCharText, pass, prepare, reject, showChar } from './result.js';
import type { Bilingual, CheckOptions, CheckResult } from './result.js';

/** GB 32100-2015 统一社会信用代码, 18 characters (standards.md §3.2). */

/** The 31 characters of GB 32100 (no I, O, S, V, Z); a character's value is its index. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** W[i] = 3^i mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Organisations registered at national level carry the country code instead of a division. */
export const USCC_CENTRAL_REGION = '100000';

export interface UsccAuthority {
  name: Bilingual;
  /** The allowed institution-category characters (position 2). */
  categories: string;
  /** false where the categories are not confirmed by a source (standards.md §3.2). */
  confirmed: boolean;
}

/**
 * Registration authority (position 1) → institution categories (position 2).
 * 1, 5, 9 and Y follow standards.md §3.2 (◐ S-NV). The other authorities are listed there as
 * UNCONFIRMED without categories; we accept them with 1, 2, 3 and 9 (the pattern of 1 and 5),
 * so that a real code is not rejected for want of data. For 3 (司法行政) we also accept 4 and 5
 * (司法鉴定机构, 仲裁委员会, from memory, UNCONFIRMED) for the same reason.
 */
export const USCC_AUTHORITIES: Readonly<Record<string, UsccAuthority>> = {
  '1': { name: { zh: '机构编制', en: 'institutional establishment' }, categories: '1239', confirmed: true },
  '2': { name: { zh: '外交', en: 'foreign affairs' }, categories: '1239', confirmed: false },
  '3': { name: { zh: '司法行政', en: 'justice administration' }, categories: '123459', confirmed: false },
  '4': { name: { zh: '文化', en: 'culture' }, categories: '1239', confirmed: false },
  '5': { name: { zh: '民政', en: 'civil affairs' }, categories: '1239', confirmed: true },
  '6': { name: { zh: '旅游', en: 'tourism' }, categories: '1239', confirmed: false },
  '7': { name: { zh: '宗教', en: 'religious affairs' }, categories: '1239', confirmed: false },
  '8': { name: { zh: '工会', en: 'trade unions' }, categories: '1239', confirmed: false },
  '9': { name: { zh: '工商', en: 'market regulation' }, categories: '123', confirmed: true },
  A: {
    name: { zh: '中央军委改革和编制办公室', en: 'CMC reform and establishment office' },
    categories: '1239',
    confirmed: false,
  },
  N: { name: { zh: '农业', en: 'agriculture' }, categories: '1239', confirmed: false },
  Y: { name: { zh: '其他', en: 'other' }, categories: '1', confirmed: true },
};

const WHAT: Bilingual = { zh: '统一社会信用代码', en: 'Unified social credit code' };

/** The GB 32100 check character of the first 17 characters; undefined for any other input. */
export function usccCheckChar(first17: string): string | undefined {
  if (typeof first17 !== 'string' || first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARSET.indexOf(first17[i] as string);
    if (value < 0) return undefined;
    sum += value * (WEIGHTS[i] as number);
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

function charsFailure(code: string): Bilingual | undefined {
  const inSet = (ch: string): boolean => ch.length === 1 && USCC_CHARSET.includes(ch);
  const bad = firstBadChar(code, (ch, i) => (i >= 2 && i < 8 ? /^\d$/.test(ch) : inSet(ch)));
  if (!bad) return undefined;
  const shown = showChar(bad.char);
  if (bad.position >= 3 && bad.position <= 8) {
    return {
      zh: `统一社会信用代码第 3–8 位（行政区划码）应为数字，第 ${bad.position} 位实际为 ${shown}`,
      en: `Characters 3–8 (the region code) of a unified social credit code must be digits; character ${bad.position} is ${shown}`,
    };
  }
  return {
    zh: `统一社会信用代码第 ${bad.position} 位应为数字或除 I、O、S、V、Z 以外的大写字母，实际为 ${shown}`,
    en: `Character ${bad.position} of a unified social credit code must be a digit or a letter other than I, O, S, V, Z; got ${shown}`,
  };
}

function authorityFailure(code: string): Bilingual | undefined {
  const authority = USCC_AUTHORITIES[code[0] as string];
  if (!authority) {
    const known = Object.keys(USCC_AUTHORITIES).join('、');
    return {
      zh: `登记管理部门代码（第 1 位）应为 ${known} 之一，实际为 ${code[0]}`,
      en: `The registration authority (character 1) must be one of ${known.replace(/、/g, ', ')}; got ${code[0]}`,
    };
  }
  const category = code[1] as string;
  if (authority.categories.includes(category)) return undefined;
  const allowed = authority.categories.split('');
  return {
    zh: `登记管理部门 ${code[0]}（${authority.name.zh}）下的机构类别代码（第 2 位）应为 ${allowed.join('、')} 之一，实际为 ${category}`,
    en: `Under registration authority ${code[0]} (${authority.name.en}) the category (character 2) must be one of ${allowed.join(', ')}; got ${category}`,
  };
}

function orgCodeFailure(code: string): Bilingual | undefined {
  const embedded = code.slice(8, 17);
  const expected = orgCodeCheckChar(embedded.slice(0, 8));
  if (expected === embedded[8]) return undefined;
  return {
    zh: `主体标识码（第 9–17 位）${embedded} 不是有效的组织机构代码（GB 11714）：第 17 位应为 ${expected}，实际为 ${embedded[8]}`,
    en: `The organisation code (characters 9–17) ${embedded} is not valid under GB 11714: character 17 should be ${expected}, got ${embedded[8]}`,
  };
}

/** Checks an 18-character 统一社会信用代码: characters, authority and category, region, embedded org code, check character. */
export function checkUscc(value: unknown, options?: CheckOptions): CheckResult {
  const prepared = prepare(value, WHAT, options);
  if ('failure' in prepared) return prepared.failure;
  const code = prepared.value;
  const shown = echo(prepared);
  if (prepared.length !== 18) {
    const found =
      prepared.length === 0
        ? { zh: '为空', en: 'an empty value' }
        : { zh: `为 ${prepared.length} 位`, en: `${prepared.length}` };
    const text = {
      zh: `统一社会信用代码应为 18 位，实际${found.zh}`,
      en: `A unified social credit code must have 18 characters, got ${found.en}`,
    };
    return reject('CHK-USCC-LENGTH', text, options, shown);
  }
  const chars = charsFailure(code);
  if (chars) return reject('CHK-USCC-CHARS', chars, options, shown);
  const authority = authorityFailure(code);
  if (authority) return reject('CHK-USCC-AUTHORITY', authority, options, shown);
  const region = code.slice(2, 8);
  if (region !== USCC_CENTRAL_REGION && !isIdentifierRegion(region)) {
    const text = {
      zh: `登记管理机关行政区划码（第 3–8 位）${region} 不是 GB/T 2260 行政区划代码（现行或历史），不属于已知的地级行政区，也不是中央级的 100000`,
      en: `The region code (characters 3–8) ${region} is not a GB/T 2260 code (current or historic), not under a known prefecture, and not the national 100000`,
    };
    return reject('CHK-USCC-REGION', text, options, shown);
  }
  const orgCode = orgCodeFailure(code);
  if (orgCode) return reject('CHK-USCC-ORGCODE', orgCode, options, shown);
  const expected = usccCheckChar(code.slice(0, 17));
  if (expected !== code[17]) {
    const text = lastCheckCharText(expected, code[17]);
    return reject('CHK-USCC-CHECKSUM', text, options, shown);
  }
  return pass(code);
}
