import { codeTable } from '../codes/code-table.js';

export type RegionLevel = 'province' | 'prefecture' | 'county';

/** A GB/T 2260 division, as recorded in codes/gb2260.json. */
export interface RegionInfo {
  code: string;
  name: string;
  level: RegionLevel;
  /** In force as of the latest data in the table. */
  current: boolean;
  /** No longer in force, but once was: still valid inside identifiers issued back then. */
  historic: boolean;
}

export interface RegionOptions {
  /** Whether codes no longer in force count; true by default. */
  historic?: boolean;
}

let regions: Map<string, RegionInfo> | undefined;

/** Built on first use: the table is large and most callers of this package never need it. */
function regionIndex(): Map<string, RegionInfo> {
  if (!regions) {
    regions = new Map();
    for (const entry of codeTable('gb2260').data) {
      const current = entry['current'] === true;
      const level = entry['level'] as RegionLevel;
      regions.set(entry.code, { code: entry.code, name: entry.label, level, current, historic: !current });
    }
  }
  return regions;
}

/** The division a six-digit GB/T 2260 code designates, current or historic; undefined if unknown. */
export function regionOf(code: string): RegionInfo | undefined {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return undefined;
  const info = regionIndex().get(code);
  return info ? { ...info } : undefined;
}

/** Whether `code` is a county-level-or-above GB/T 2260 code; historic codes count unless excluded. */
export function isRegionCode(code: string, options: RegionOptions = {}): boolean {
  const info = regionOf(code);
  if (!info) return false;
  return info.current || (options?.historic ?? true);
}

/** Municipalities: their districts and counties sit directly under the province-level code. */
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

/**
 * Whether a region code embedded in an identifier (resident ID, USCC) is acceptable: a known code,
 * current or historic, or a county-level code under a known prefecture (or municipality). The
 * second rule covers codes that are real but missing from the table: county codes of other
 * provinces created after 2019-04, 市辖区 placeholders (XXXX01) that the MCA lists omit, and the
 * worked example of GB 11643-1999 itself (340524, under 马鞍山市 340500). Codes under an unknown
 * prefecture or province are still rejected.
 */
export function isIdentifierRegion(code: string): boolean {
  if (isRegionCode(code, { historic: true })) return true;
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return false;
  if (code.endsWith('00') || code.slice(2, 4) === '00') return false;
  const index = regionIndex();
  if (index.has(`${code.slice(0, 4)}00`)) return true;
  return MUNICIPALITIES.has(code.slice(0, 2)) && index.has(`${code.slice(0, 2)}0000`);
}
