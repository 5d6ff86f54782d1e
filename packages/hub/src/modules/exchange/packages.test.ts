import { verifyPackage } from '@minjiang/standards';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALL_TIME, exchangeHub, type Credential, type ExchangeHub } from '../../../test-utils/exchange.js';
import { ENGINES } from '../../../test-utils/hub.js';
import { APPLICANT } from '../../../test-utils/sharing.js';
import { auditedActions } from '../../../test-utils/workflow.js';

interface Built {
  data: { id: string; digest: string; rows: number; download: string };
}

describe.each(ENGINES)('SES-API r1 packages on %s', (engine) => {
  let hub: ExchangeHub;
  let credential: Credential;
  beforeAll(async () => {
    hub = await exchangeHub(engine);
    credential = await hub.grant(
      { items: ['公民身份号码', '姓名', '户籍地行政区划'], mode: 'PACKAGE' },
      { rowFilter: '户籍地行政区划 = 350103' },
    );
  });
  beforeEach(() => hub.setNow(CALL_TIME));
  afterAll(async () => hub.close());

  const build = () => hub.ses(credential, { path: 'packages', method: 'POST', body: '{}' });

  it('builds a signed package of the granted, masked, filtered rows that verifies offline', async () => {
    const built = await build();
    expect(built.statusCode, built.body).toBe(201);
    const { data } = built.json<Built>();
    expect(data.rows).toBe(2);
    const download = await hub.ses(credential, { path: `packages/${data.id}` });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    const zip = download.rawPayload;
    const verdict = verifyPackage(zip, {
      publicKeys: [hub.publicKey],
      expect: { grant: credential.grant, recipient: APPLICANT.id },
    });
    expect(verdict.failures).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, rows: 2, digest: data.digest });
    expect(zip.includes(Buffer.from(hub.rows[4]![0]!))).toBe(false);
    const wrong = await hub.ses(credential, {
      path: `packages/${data.id}/receipt`,
      body: JSON.stringify({ digest: `sm3:${'0'.repeat(64)}` }),
    });
    expect(wrong.headers['ses-error']).toBe('CLI.BAD_REQUEST');
    const receipt = await hub.ses(credential, {
      path: `packages/${data.id}/receipt`,
      body: JSON.stringify({ digest: data.digest }),
    });
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect((await auditedActions(hub, credential.grant)).slice(1)).toEqual([
      'pkg.build',
      'pkg.download',
      'pkg.receipt',
    ]);
  });

  it('gives a package only under its own grant, and refuses packages under other grants', async () => {
    const { data } = (await build()).json<Built>();
    const other = await hub.ses(hub.api, { path: `packages/${data.id}` });
    expect(other.headers['ses-error']).toBe('HUB.GRANT_NONE');
    const apiBuild = await hub.ses(hub.api, { path: 'packages', method: 'POST', body: '{}' });
    expect(apiBuild.headers['ses-error']).toBe('HUB.GRANT_NONE');
  });
});
