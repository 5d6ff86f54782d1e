import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSm2KeyPair, signDsse, type DsseEnvelope } from '@minjiang/standards';
import { afterAll, describe, expect, it } from 'vitest';
import { HubClient } from '../client/hub-client.js';
import type { GrantView } from '../client/sharing-types.js';
import { checkGrant } from './grant-check.js';
import { GRANT_PAYLOAD_TYPE, GrantSignatureError, verifyGrantEnvelope } from './grant-envelope.js';

const hubKey = generateSm2KeyPair();
const otherKey = generateSm2KeyPair();
const document = {
  uid: 'urn:ses:grant:350000:2026:1',
  'ses:application': 'urn:ses:app:350000:2026:9',
  名称: '授权',
};
const envelope = signDsse({ keyId: 'hub-1', privateKey: hubKey.privateKey }, GRANT_PAYLOAD_TYPE, document);

describe('verifyGrantEnvelope', () => {
  it('returns the signed grant when the hub key verifies the PAE', () => {
    expect(verifyGrantEnvelope(envelope, hubKey.publicKey)).toEqual(document);
  });

  it('refuses another key, a changed payload, another payload type and no envelope', () => {
    const changed = Buffer.from(JSON.stringify({ ...document, uid: 'x' })).toString('base64');
    const cases: unknown[] = [
      { ...envelope, payload: changed },
      { ...envelope, payloadType: 'application/json' },
      { ...envelope, signatures: [] },
      null,
    ];
    expect(() => verifyGrantEnvelope(envelope, otherKey.publicKey)).toThrow(GrantSignatureError);
    for (const bad of cases)
      expect(() => verifyGrantEnvelope(bad, hubKey.publicKey)).toThrow(GrantSignatureError);
  });
});

describe('checkGrant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-grant-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function client(publicKey: string) {
    const fetch = async () =>
      new Response(JSON.stringify({ keyId: 'hub-1', algorithm: 'sm2-sm3', publicKey }), { status: 200 });
    return new HubClient({ baseURL: 'http://127.0.0.1:9/', fetch });
  }
  const view = (signed: DsseEnvelope, id = document.uid) =>
    ({ id, application: document['ses:application'], envelope: signed }) as GrantView;

  it('pins the hub key on first use, then verifies with the pinned one', async () => {
    const first = await checkGrant(client(hubKey.publicKey), view(envelope), { stateDir: dir });
    expect(first).toMatchObject({ keyId: 'hub-1', pinned: 'new' });
    const state = readFileSync(join(dir, 'hubs', '127.0.0.1_9', 'state.json'), 'utf8');
    expect(state).toContain(hubKey.publicKey);
    const again = await checkGrant(client(hubKey.publicKey), view(envelope), { stateDir: dir });
    expect(again.pinned).toBe('match');
  });

  it('refuses a hub presenting another key than the pinned one', async () => {
    const forged = signDsse(
      { keyId: 'hub-1', privateKey: otherKey.privateKey },
      GRANT_PAYLOAD_TYPE,
      document,
    );
    await expect(
      checkGrant(client(otherKey.publicKey), view(forged), { stateDir: dir }),
    ).rejects.toMatchObject({
      code: 'HUB-KEY-CHANGED',
    });
  });

  it('refuses a validly signed document of another grant', async () => {
    await expect(
      checkGrant(client(hubKey.publicKey), view(envelope, 'urn:ses:grant:350000:2026:2'), { stateDir: dir }),
    ).rejects.toMatchObject({ code: 'GRANT-MISMATCH' });
  });
});
