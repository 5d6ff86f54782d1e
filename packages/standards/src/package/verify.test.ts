import { beforeAll, describe, expect, it } from 'vitest';
import {
  BAG,
  editText,
  FOREIGN,
  foreignSigner,
  GRANT,
  HUB,
  RECIPIENT,
  reseal,
  rezip,
  sampleInput,
  unzip,
  type Members,
} from '../../test-utils/bag-fixture.js';
import { buildPackage } from './bag.js';
import { packageVerifyMessages } from './messages.js';
import { verifyPackage, type VerifyPackageOptions } from './verify.js';

let pristine: Buffer;
beforeAll(async () => {
  pristine = (await buildPackage(sampleInput())).zip;
});

const CSV = 'data/households.csv';
const trusted: VerifyPackageOptions = { publicKeys: [HUB.publicKey] };

function verify(members: Members | Buffer, options: VerifyPackageOptions = trusted) {
  return verifyPackage(Buffer.isBuffer(members) ? members : rezip(members), options);
}

/** The (step, code, file) of each failure, for exact comparisons. */
function faults(members: Members | Buffer, options?: VerifyPackageOptions) {
  return verify(members, options).failures.map(({ step, code, file }) => ({ step, code, file }));
}

const at = (path: string) => `${BAG}/${path}`;

describe('verifyPackage: each tampering is caught at its step', () => {
  it('a changed payload byte: both manifests (step 4) and the resource hash (step 6)', () => {
    const members = editText(unzip(pristine), CSV, (csv) => csv.replace('000124', '000125'));
    expect(faults(members)).toEqual([
      { step: 4, code: 'PKG-131', file: at(CSV) },
      { step: 4, code: 'PKG-131', file: at(CSV) },
      { step: 6, code: 'PKG-155', file: at(CSV) },
    ]);
  });

  it('a flipped byte in the zip itself: refused when opened (step 1, CRC)', () => {
    const zip = Buffer.from(pristine);
    const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
    zip[start + 1] = (zip[start + 1] ?? 0) ^ 0x01;
    expect(faults(zip)).toEqual([{ step: 1, code: 'PKG-101', file: at('bagit.txt') }]);
  });

  it('a changed tag file: its tag-manifest digest (step 3)', () => {
    const members = editText(unzip(pristine), 'bag-info.txt', (info) =>
      info.replace('福建省公安厅', '福建省某厅'),
    );
    expect(faults(members)).toEqual([{ step: 3, code: 'PKG-123', file: at('bag-info.txt') }]);
  });

  it('a changed tag manifest: the signature no longer covers it (step 2)', () => {
    const members = editText(unzip(pristine), 'tagmanifest-sm3.txt', (text) =>
      text.replace(/^[0-9a-f]/, '0'),
    );
    expect(faults(members).map((f) => [f.step, f.code])).toContainEqual([2, 'PKG-114']);
  });

  it('an extra file anywhere: in data/, at the bag root, at the zip root (step 4)', () => {
    const members = unzip(pristine);
    members.set(at('data/extra.csv'), Buffer.from('x\r\n'));
    members.set(at('notes.txt'), Buffer.from('hi'));
    members.set('README.txt', Buffer.from('hi'));
    const found = faults(members);
    expect(found.filter((f) => f.code === 'PKG-134').map((f) => f.file)).toEqual([
      'README.txt',
      at('data/extra.csv'),
      at('notes.txt'),
    ]);
    expect(found.map((f) => f.code)).toEqual(expect.arrayContaining(['PKG-141', 'PKG-157']));
  });

  it('a missing payload file: both manifests list it (step 4)', () => {
    const members = unzip(pristine);
    members.delete(at(CSV));
    const found = faults(members);
    expect(found.slice(0, 2)).toEqual([
      { step: 4, code: 'PKG-133', file: at(CSV) },
      { step: 4, code: 'PKG-133', file: at(CSV) },
    ]);
  });

  it('a missing tag file (step 3)', () => {
    const members = unzip(pristine);
    members.delete(at('manifest-sha512.txt'));
    expect(faults(members)[0]).toEqual({ step: 3, code: 'PKG-121', file: at('manifest-sha512.txt') });
  });

  it('a file listed in only one manifest, even when re-signed (step 4)', () => {
    const members = reseal(editText(unzip(pristine), 'manifest-sha512.txt', () => ''));
    // The resource then points at a file not listed in both manifests, so step 6 refuses it too.
    expect(faults(members)).toEqual([
      { step: 4, code: 'PKG-132', file: at(CSV) },
      { step: 6, code: 'PKG-153', file: at(CSV) },
    ]);
  });

  it('a wrong Payload-Oxum, even when re-signed (step 5)', () => {
    const members = reseal(
      editText(unzip(pristine), 'bag-info.txt', (t) => t.replace(/Payload-Oxum: \d+/, 'Payload-Oxum: 1')),
    );
    expect(faults(members)).toEqual([{ step: 5, code: 'PKG-141', file: at('bag-info.txt') }]);
  });

  it.each(['/etc/passwd', 'https://example.org/x.csv', 'data/../../x.csv'])(
    'a datapackage path %s, even when re-signed (step 6)',
    (path) => {
      const members = reseal(
        editText(unzip(pristine), 'datapackage.json', (t) => t.replace(`"${CSV}"`, JSON.stringify(path))),
      );
      const found = faults(members);
      expect(found[0]).toEqual({ step: 6, code: 'PKG-152', file: at('datapackage.json') });
      expect(found.every((f) => f.step === 6)).toBe(true);
    },
  );

  it('a resource bytes or hash mismatch, even when re-signed (step 6)', () => {
    const bytes = reseal(
      editText(unzip(pristine), 'datapackage.json', (t) => t.replace(/"bytes": \d+/, '"bytes": 1')),
    );
    expect(faults(bytes)).toEqual([{ step: 6, code: 'PKG-154', file: at(CSV) }]);
    const hash = reseal(
      editText(unzip(pristine), 'datapackage.json', (t) =>
        t.replace(/"hash": "sm3:[0-9a-f]/, '"hash": "sm3:0'),
      ),
    );
    expect(faults(hash)).toEqual([{ step: 6, code: 'PKG-155', file: at(CSV) }]);
  });

  it('a payload replaced and every manifest recomputed, but signed by a foreign key (step 2)', () => {
    const members = editText(unzip(pristine), CSV, (csv) => csv.replace('000124', '000999'));
    const found = faults(reseal(members, { manifests: true, signers: [foreignSigner] }));
    // Steps 3–5 pass (the forger recomputed them); the signature and the descriptor hash do not.
    expect(found).toEqual([
      { step: 2, code: 'PKG-113', file: `${BAG}.sig.json` },
      { step: 6, code: 'PKG-155', file: at(CSV) },
    ]);
    // Trusting the forger's key is the caller's decision: then only the descriptor hash is left.
    expect(faults(members, { publicKeys: [FOREIGN.publicKey] })).toEqual([
      { step: 6, code: 'PKG-155', file: at(CSV) },
    ]);
  });

  it('a bad signature, a missing one, a wrong payload type, no key (step 2)', () => {
    const envelope = (members: Members) =>
      JSON.parse(members.get(`${BAG}.sig.json`)?.toString() ?? '') as {
        signatures: { sig: string }[];
        payloadType: string;
      };
    const bad = unzip(pristine);
    const broken = envelope(bad);
    broken.signatures[0]!.sig = broken.signatures[0]!.sig.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    bad.set(`${BAG}.sig.json`, Buffer.from(JSON.stringify(broken)));
    expect(faults(bad)).toEqual([{ step: 2, code: 'PKG-113', file: `${BAG}.sig.json` }]);
    const missing = unzip(pristine);
    missing.delete(`${BAG}.sig.json`);
    expect(faults(missing)).toEqual([{ step: 2, code: 'PKG-111', file: `${BAG}.sig.json` }]);
    const typed = unzip(pristine);
    typed.set(
      `${BAG}.sig.json`,
      Buffer.from(JSON.stringify({ ...envelope(typed), payloadType: 'application/json' })),
    );
    expect(faults(typed)).toEqual([{ step: 2, code: 'PKG-112', file: `${BAG}.sig.json` }]);
    expect(faults(pristine, { publicKeys: [] })).toEqual([{ step: 2, code: 'PKG-115', file: undefined }]);
  });

  it('a grant or recipient other than expected (step 7)', () => {
    expect(faults(pristine, { ...trusted, expect: { grant: GRANT, recipient: RECIPIENT } })).toEqual([]);
    const other = {
      grant: 'urn:ses:grant:350000:2025:999',
      recipient: '350100/GOV/11350100MB0123456X/OTHER',
    };
    expect(faults(pristine, { ...trusted, expect: other })).toEqual([
      { step: 7, code: 'PKG-161', file: at('bag-info.txt') },
      { step: 7, code: 'PKG-162', file: at('bag-info.txt') },
    ]);
  });

  it('bag-info and datapackage.json that disagree on the grant, even when re-signed (step 6)', () => {
    const members = reseal(
      editText(unzip(pristine), 'datapackage.json', (t) => t.replace(GRANT, 'urn:ses:grant:350000:2025:999')),
    );
    expect(faults(members)).toEqual([{ step: 6, code: 'PKG-156', file: at('datapackage.json') }]);
  });

  it('a zip with two bag directories is refused at step 1', () => {
    const members = unzip(pristine);
    members.set('other/bagit.txt', Buffer.from('x'));
    expect(faults(members)).toEqual([{ step: 1, code: 'PKG-102', file: undefined }]);
  });
});

describe('verifyPackage messages', () => {
  it('speaks zh-CN by default and English when asked', () => {
    const members = editText(unzip(pristine), 'bag-info.txt', (info) => `${info}X`);
    expect(verify(members).failures[0]?.message).toMatch(/标签文件/);
    const en = verify(members, { ...trusted, lang: 'en' }).failures[0];
    expect(en?.message).toBe(
      `The SM3 digest of tag file ${at('bag-info.txt')} does not match tagmanifest-sm3.txt`,
    );
    expect(en?.hint).toMatch(/changed after signing/);
  });

  it.each(Object.entries(packageVerifyMessages))('%s has both languages and hints', (code, def) => {
    expect(code).toMatch(/^PKG-1\d\d$/);
    expect(def.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(def.en).not.toBe(def.zh);
    expect(def.hintZh.length && def.hintEn.length).toBeGreaterThan(0);
  });
});
