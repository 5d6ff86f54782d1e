import { canonicalJson, sm3Digest, validateAuditLeaf } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import { department } from '../../../test-utils/hub.js';
import { leafType, sealEvent, type EvidenceBundle } from './leaf.js';
import type { AuditEvent } from './log.js';

const GAT = department('GAT');
const CODE = '3350010001/000001';
const context = { hubCode: '350000', time: '2026-05-01T08:00:00.000Z', owners: new Map([[CODE, GAT.uscc]]) };
const officer = { tokenId: 'tok1', orgId: GAT.id, roles: ['officer'] };

function seal(event: AuditEvent) {
  const sealed = sealEvent(event, context);
  return { ...sealed, leaf: JSON.parse(sealed.leaf) as Record<string, unknown>, text: sealed.leaf };
}

function errors(leaf: unknown) {
  return validateAuditLeaf(leaf).filter((issue) => issue.severity === 'error');
}

describe('audit leaves', () => {
  it('seal every kind of event the hub writes into a leaf the standard accepts', () => {
    const events: AuditEvent[] = [
      {
        type: 'admin',
        action: 'token.issue',
        actor: { system: 'hub-init' },
        object: 'tok9',
        result: 'success',
      },
      { type: 'admin', action: 'organisation.create', actor: officer, object: GAT.id, result: 'success' },
      {
        type: 'catalog.change',
        action: 'approve',
        actor: { tokenId: 'tok2', orgId: GAT.id, roles: ['admin'] },
        object: CODE,
        result: 'success',
        detail: { version: 2, contentHash: `sm3:${'a'.repeat(64)}`, superseded: 1 },
      },
      {
        type: 'catalog.change',
        action: 'update',
        actor: officer,
        object: CODE,
        result: 'failure',
        detail: { version: 1, contentHash: `sm3:${'b'.repeat(64)}`, code: 'HUB_ERR_NOT_OWNER' },
      },
    ];
    for (const event of events) expect(errors(seal(event).leaf)).toEqual([]);
  });

  it('name the type, the actor role and the catalog change as the standard does', () => {
    expect(leafType({ type: 'admin', action: 'token.issue' } as AuditEvent)).toBe('admin.token_issue');
    expect(leafType({ type: 'catalog.change', action: 'approve' } as AuditEvent)).toBe('catalog.change');
    const approve = seal({
      type: 'catalog.change',
      action: 'approve',
      actor: officer,
      object: CODE,
      result: 'success',
      detail: { version: 2, contentHash: `sm3:${'a'.repeat(64)}` },
    }).leaf;
    expect(approve).toMatchObject({
      actor: { org: GAT.id, role: 'operator' },
      catalog: { object: `urn:ses:ds:350000:${GAT.uscc}:${CODE}`, version: 2, change: 'Update' },
      toState: 'PUBLISHED',
    });
    const failed = seal({
      type: 'admin',
      action: 'token.revoke',
      actor: officer,
      object: 'tok3',
      result: 'failure',
      detail: { code: 'HUB_ERR_NOT_FOUND' },
    }).leaf;
    expect(failed).toMatchObject({ result: 'failure', errorCode: 'HUB.NOT_FOUND' });
  });

  it('commit to the whole event, salted, through the evidence digest, in JCS bytes', () => {
    const event: AuditEvent = {
      type: 'catalog.change',
      action: 'reject',
      actor: officer,
      object: CODE,
      result: 'success',
      detail: { version: 1, contentHash: `sm3:${'c'.repeat(64)}`, reason: '缺少信息项' },
    };
    const first = seal(event);
    const second = seal(event);
    expect(first.leaf.evidence).toBe(sm3Digest(first.evidence));
    expect((JSON.parse(first.evidence) as EvidenceBundle).event).toEqual(event);
    expect(first.leaf.evidence).not.toBe(second.leaf.evidence);
    expect(canonicalJson(JSON.parse(first.text))).toBe(first.text);
    expect(first.text).not.toContain('缺少信息项');
  });

  it('salts every evidence bundle afresh, across refills of the salt pool', () => {
    const event: AuditEvent = {
      type: 'api',
      action: 'call',
      actor: officer,
      object: CODE,
      result: 'success',
    };
    const salts = Array.from(
      { length: 600 },
      () => (JSON.parse(sealEvent(event, context).evidence) as EvidenceBundle).salt,
    );
    for (const salt of salts) expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(salts).size).toBe(salts.length);
  });
});
