import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Application } from '@minjiang/sdk';
import { createAjv } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import { applicationOf, durationMs, listOf } from './input.js';
import { chinaTime, span, statusLines, statusOf } from './next-step.js';

const SCHEMAS = fileURLToPath(new URL('../../schemas/', import.meta.url));
const ajv = createAjv();
for (const file of readdirSync(SCHEMAS).filter((name) => name.startsWith('share-')))
  ajv.addSchema(JSON.parse(readFileSync(`${SCHEMAS}${file}`, 'utf8')) as object);
const valid = (name: string, value: unknown) => {
  const validate = ajv.getSchema(`https://schemas.minjiang.org/cli/${name}.json`)!;
  return validate(value) ? true : validate.errors;
};

const NOW = Date.parse('2026-12-01T02:00:00Z');
const app: Application = {
  id: 'urn:ses:app:350000:2026:1',
  kind: 'sharing',
  resourceCode: '3350010001/000001',
  resourceVersion: 1,
  resourceName: '常住人口基本信息',
  provider: '350000/GOV/11350000FJ0000017T',
  applicant: '350100/GOV/11350100FJ01000501',
  shareType: 'CONDITIONAL',
  state: 'PROVIDER_REVIEW',
  request: {
    resourceCode: '3350010001/000001',
    items: ['姓名', '户籍地址'],
    purposeCode: '0101',
    purpose: '核验',
    scenario: { class: '政务服务', description: '核验' },
    legalBasis: '法',
    mode: 'API',
    period: { from: '2026-01-01', to: '2026-12-31' },
    contact: { name: '郭伟', phone: '0591-1' },
    securityCommitment: { accepted: true, text: '承诺' },
  },
  final: false,
  // The end of 4 December in China: 15:59:59.999Z.
  deadline: '2026-12-04T15:59:59.999Z',
  next: {
    party: 'provider',
    role: 'reviewer',
    org: '350000/GOV/11350000FJ0000017T',
    actions: ['approve', 'offer', 'reject'],
    deadline: '2026-12-04T15:59:59.999Z',
  },
  history: [
    { seq: 1, action: 'submit', from: 'DRAFT', to: 'PRECHECK', actor: { org: 'x', token: 't' }, at: 'x' },
  ],
  createdAt: '2026-11-30T00:00:00Z',
  updatedAt: '2026-11-30T00:00:00Z',
};

describe('share status', () => {
  it('says who must act, with the deadline in China time and the time left', () => {
    const status = statusOf(app, NOW);
    expect(status.next).toMatchObject({ deadlineChina: '2026-12-04 23:59', overdue: false });
    expect(valid('share-status', status)).toBe(true);
    const zh = statusLines(status, 'zh-CN').join('\n');
    expect(zh).toContain(
      '下一步：提供方 350000/GOV/11350000FJ0000017T 的审核员处理，可执行：approve、offer、reject',
    );
    expect(zh).toContain('期限：2026-12-04 23:59（北京时间），剩余 3天14小时');
    expect(zh).toContain('minjiang share review urn:ses:app:350000:2026:1 offer');
    const en = statusLines(status, 'en').join('\n');
    expect(en).toContain(
      'next: the provider 350000/GOV/11350000FJ0000017T, as reviewer, may: approve, offer, reject',
    );
    expect(en).toContain('3d 14h left');
  });

  it('says how late a passed deadline is, and that nobody must act on a final state', () => {
    const late = statusOf(app, Date.parse('2026-12-05T01:30:00Z'));
    expect(late.next.overdue).toBe(true);
    expect(statusLines(late, 'zh-CN').join('\n')).toContain('已超期 9小时30分钟');
    const done = statusOf({
      ...app,
      state: 'WITHDRAWN',
      next: { party: 'nobody', role: null, org: null, actions: [], deadline: null },
    });
    expect(statusLines(done, 'en')).toContain('next: nobody has to act');
    expect(valid('share-status', done)).toBe(true);
    const platform = statusOf({ ...app, next: { ...app.next, party: 'platform', role: 'admin', org: null } });
    expect(statusLines(platform, 'zh-CN')[1]).toMatch(/^下一步：平台（主管部门）的管理员处理/);
    expect(statusLines(platform, 'en')[1]).toMatch(/^next: the platform \(主管部门\), as administrator, may/);
  });

  it('formats spans and China times', () => {
    expect(chinaTime('2026-12-31T16:30:00Z')).toBe('2027-01-01 00:30');
    expect(span(59, 'en')).toBe('<1m');
    expect(span(-3600 * 25, 'zh-CN')).toBe('1天1小时');
    expect(span(3600 * 48, 'en')).toBe('2d');
  });
});

describe('share result schemas', () => {
  it('take the application view, and refuse a credential listing that carries a secret', () => {
    expect(valid('share-show', app)).toBe(true);
    expect(valid('share-list', { items: [app] })).toBe(true);
    const grant = {
      id: 'urn:ses:grant:350000:2026:1',
      application: app.id,
      status: 'active',
      resourceCode: app.resourceCode,
      mode: 'API',
      items: ['姓名'],
      validFrom: 'x',
      validTo: 'y',
      verified: true,
      keyId: 'k',
      pinned: 'new',
    };
    expect(
      valid('share-credentials', {
        action: 'issue',
        grant,
        issued: { appKey: 'ak', secret: 's', alg: 'hmac-sm3', createdAt: 'x' },
      }),
    ).toBe(true);
    // An SM2 key (--public-key, a routed grant's only kind) is issued without a secret.
    expect(
      valid('share-credentials', {
        action: 'issue',
        grant,
        issued: { appKey: 'ak', alg: 'sm2-sm3', createdAt: 'x' },
      }),
    ).toBe(true);
    const leaked = {
      action: 'list',
      grant,
      credentials: [{ appKey: 'ak', status: 'active', createdAt: 'x', secret: 's' }],
    };
    expect(valid('share-credentials', leaked)).not.toBe(true);
    const waited = { outcome: 'pending', polls: 2, waitedSeconds: 1, status: statusOf(app, NOW) };
    expect(valid('share-wait', waited)).toBe(true);
  });
});

describe('share apply input', () => {
  it('takes the file’s fields, overridden by flags; lists split on any comma', () => {
    const body = applicationOf(
      { ...app.request, period: { from: '2026-01-01', to: '2026-06-30' } },
      { items: '姓名， 性别、民族', to: '2026-03-31', 'per-day': 200 },
      'zh-CN',
    );
    expect(body.items).toEqual(['姓名', '性别', '民族']);
    expect(body.period).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(body.expectedVolume).toEqual({ perDay: 200 });
    expect(listOf('a,b')).toEqual(['a', 'b']);
  });

  it('names every missing field and the flag that fills it (a usage error, exit 2)', () => {
    const error = (() => {
      try {
        return applicationOf({}, { resource: '3350010001/000001' }, 'en');
      } catch (caught) {
        return caught as { code: string; message: string; hint: string };
      }
    })() as { code: string; message: string; hint: string };
    expect(error.code).toBe('SHARE-APPLY-INCOMPLETE');
    expect(error.message).not.toContain('resourceCode');
    expect(error.hint).toContain('--items');
    expect(error.hint).toContain('--from/--to');
  });

  it('reads durations', () => {
    expect(durationMs('10m', 'en')).toBe(600_000);
    expect(durationMs('1s', 'en')).toBe(1000);
    expect(durationMs('30', 'en')).toBe(30_000);
    expect(durationMs('500ms', 'en')).toBe(500);
    expect(() => durationMs('soon', 'en')).toThrow(/duration/);
  });
});
