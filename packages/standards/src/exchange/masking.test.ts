import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { administrativePrefix, keepEnds, MASKED_PATTERNS } from './masking-rules.js';
import {
  applyMasking,
  MaskingError,
  maskFieldType,
  maskingPlan,
  maskingProfile,
  type MaskingItem,
} from './masking.js';

const ITEMS: MaskingItem[] = [
  { name: '姓名', technicalName: 'XM' },
  { name: '公民身份号码', technicalName: 'SFZH', check: 'residentId' },
  { name: '联系电话', technicalName: 'LXDH' },
  { name: '家庭住址', technicalName: 'JTDZ' },
  { name: '银行卡号', technicalName: 'YHKH' },
  { name: '电子邮箱', technicalName: 'EMAIL' },
  { name: '车牌号码', technicalName: 'CPHM' },
  { name: '婚姻状况', technicalName: 'HYZK', sensitive: true },
  { name: '户号', technicalName: 'HH' },
];

const ROW = {
  XM: '张三丰',
  SFZH: '35010219900101123x',
  LXDH: '138 0013 8000',
  JTDZ: '福建省福州市鼓楼区五凤街道软件大道89号',
  YHKH: '6222 0202 0000 1234',
  EMAIL: 'zhangsan@example.com',
  CPHM: '闽A12345',
  HYZK: '已婚有子女',
  HH: '350102000123',
};

const KEY = 'recipient-key-350100';
const pseudo = (value: string) => `hmac-sm3:${createHmac('sm3', KEY).update(value).digest('base64url')}`;

describe('maskingProfile', () => {
  it('reads the three profiles and refuses an unknown one with a typed error', () => {
    expect(maskingProfile('MP-STD-01').rules.idcard).toEqual({ kind: 'keep', front: 6, end: 4 });
    expect(maskingProfile('MP-NONE').rules).toEqual({});
    expect(maskingProfile('MP-DEID-01').label).toBe('去标识化');
    expect(() => maskingProfile('MP-XX')).toThrow(MaskingError);
    expect(() => maskingProfile('MP-XX')).toThrow(expect.objectContaining({ code: 'MASK-UNKNOWN-PROFILE' }));
  });
});

describe('maskFieldType', () => {
  it('reads the check first, then the names, then the sensitive flag', () => {
    expect(maskFieldType({ name: '证件号', check: 'residentId' })).toBe('idcard');
    expect(maskFieldType({ name: '户主姓名', technicalName: 'HZXM' })).toBe('name');
    expect(maskFieldType({ name: 'Holder', technicalName: 'HZ_XM' })).toBe('name');
    expect(maskFieldType({ name: '手机号码' })).toBe('phone');
    expect(maskFieldType({ name: '邮箱地址' })).toBe('email');
    expect(maskFieldType({ name: '通讯地址', technicalName: 'TXDZ' })).toBe('address');
    expect(maskFieldType({ name: '收款账号' })).toBe('bankcard');
    expect(maskFieldType({ name: '车牌' })).toBe('plate');
    expect(maskFieldType({ name: '病史', sensitive: true })).toBe('sensitive');
    expect(maskFieldType({ name: '户号', technicalName: 'HH', sensitive: false })).toBeNull();
    expect(maskFieldType({ name: '地区代码', technicalName: 'DZSJ' })).toBeNull();
  });
});

describe('MP-STD-01', () => {
  const plan = maskingPlan('MP-STD-01', ITEMS);

  it('masks each field type for display', () => {
    expect(applyMasking(plan, ROW)).toEqual({
      XM: '张**',
      SFZH: '350102********123X',
      LXDH: '138****8000',
      JTDZ: '福建省福州市鼓楼区五凤街道*******',
      YHKH: '6222********1234',
      EMAIL: 'z*******@example.com',
      CPHM: '闽A1***5',
      HYZK: '已***女',
      HH: '350102000123',
    });
    expect(plan.needsRecipientKey).toBe(false);
  });

  it('gives the fixed output patterns, and the masked values match them', () => {
    const masked = applyMasking(plan, ROW);
    for (const entry of plan.entries.filter((e) => e.pattern !== undefined))
      expect(masked[entry.key], entry.key).toMatch(new RegExp(entry.pattern as string, 'u'));
    expect(plan.entries.find((e) => e.key === 'SFZH')?.pattern).toBe(MASKED_PATTERNS.idcard);
    expect('138****8000').toMatch(new RegExp(MASKED_PATTERNS.mobile));
  });

  it('masks fixed lines 4 + 2, mobiles with +86 3 + 4, and short values at most half kept', () => {
    const mask = (LXDH: string) => applyMasking(plan, { LXDH }).LXDH;
    expect(mask('0591-87654321')).toBe('0591*******21');
    expect(mask('+8613800138000')).toBe('138****8000');
    expect(mask('1234')).toBe('12**');
    expect(applyMasking(plan, { XM: '张' }).XM).toBe('*');
    expect(applyMasking(plan, { XM: '欧阳娜娜' }).XM).toBe('欧***');
    expect(applyMasking(plan, { XM: '𠀋𠀌' }).XM).toBe('𠀋*');
    expect(applyMasking(plan, { EMAIL: 'a@b.cn' }).EMAIL).toBe('*@b.cn');
  });

  it('keeps the administrative part of an address, else the first 6 characters', () => {
    const mask = (JTDZ: string) => applyMasking(plan, { JTDZ }).JTDZ;
    expect(mask('福州市鼓楼区软件大道89号')).toBe('福州市鼓楼区*******');
    expect(mask('鼓楼区温泉路乡村基1号')).toBe('鼓楼区********');
    expect(mask('平潭综合实验区潭城镇西航路8号')).toBe('平潭综合实验区潭城镇*****');
    expect(mask('软件园F区3号楼302室')).toBe('软件园F区3******');
    expect(administrativePrefix('广西壮族自治区南宁市青秀区', 'county')).toBe(
      '广西壮族自治区南宁市青秀区'.length,
    );
  });

  it('leaves null, empty, non-string and unplanned values alone', () => {
    const row = { XM: null, SFZH: '', LXDH: 13800138000 as unknown as string, OTHER: '张三' };
    expect(applyMasking(plan, row)).toEqual(row);
  });
});

describe('MP-DEID-01', () => {
  const plan = maskingPlan('MP-DEID-01', ITEMS);

  it('pseudonymises, generalises and drops as §8.9 says', () => {
    expect(applyMasking(plan, ROW, { recipientKey: KEY })).toEqual({
      XM: pseudo('张三丰'),
      SFZH: pseudo('35010219900101123X'),
      LXDH: pseudo('13800138000'),
      JTDZ: '福建省福州市鼓楼区***********',
      YHKH: null,
      EMAIL: null,
      CPHM: pseudo('闽A12345'),
      HYZK: null,
      HH: '350102000123',
    });
    expect(plan.needsRecipientKey).toBe(true);
  });

  it('makes pseudonyms per recipient, stable and matching the pattern', () => {
    const a = applyMasking(plan, { XM: '张' }, { recipientKey: 'a' }).XM;
    expect(a).toMatch(new RegExp(MASKED_PATTERNS.pseudonym));
    expect(applyMasking(plan, { XM: '张' }, { recipientKey: 'a' }).XM).toBe(a);
    expect(applyMasking(plan, { XM: '张' }, { recipientKey: 'b' }).XM).not.toBe(a);
  });

  it('drops fixed lines and unrecognisable addresses, and needs the recipient key', () => {
    const row = applyMasking(plan, { LXDH: '0591-87654321', JTDZ: '软件园F区3号楼' }, { recipientKey: KEY });
    expect(row).toEqual({ LXDH: null, JTDZ: null });
    expect(() => applyMasking(plan, ROW)).toThrow(expect.objectContaining({ code: 'MASK-RECIPIENT-KEY' }));
  });
});

describe('MP-NONE', () => {
  it('changes nothing', () => {
    const plan = maskingPlan('MP-NONE', ITEMS);
    expect(plan.entries.every((entry) => entry.rule.kind === 'none')).toBe(true);
    expect(applyMasking(plan, ROW)).toEqual(ROW);
  });
});

describe('keepEnds', () => {
  it('never returns a short value whole', () => {
    for (const value of ['a', 'ab', 'abc', '张三', '1234567']) expect(keepEnds(value, 4, 4)).toContain('*');
  });
});
