import { describe, expect, it } from 'vitest';
import {
  BAG,
  foreignSigner,
  FOREIGN,
  HUB,
  hubSigner,
  ID,
  sampleInput,
  unzip,
} from '../../test-utils/bag-fixture.js';
import { validatePackageDescriptor } from '../validate.js';
import { buildPackage, PackageBuildError } from './bag.js';
import { openDsseBytes } from './dsse-bytes.js';
import { BAG_PAYLOAD_TYPE, countCsvRecords, parseTagFile } from './bag-text.js';
import { verifyPackage } from './verify.js';

const text = (members: Map<string, Buffer>, path: string) => members.get(`${BAG}/${path}`)?.toString('utf8');

describe('buildPackage', () => {
  it('builds a bag that verifies, with the §8.8 layout and the signature beside the bag', async () => {
    const built = await buildPackage(sampleInput());
    expect(built.fileName).toBe(`${BAG}.ses.zip`);
    expect([...unzip(built.zip).keys()]).toEqual([
      `${BAG}/bagit.txt`,
      `${BAG}/bag-info.txt`,
      `${BAG}/datapackage.json`,
      `${BAG}/manifest-sm3.txt`,
      `${BAG}/manifest-sha512.txt`,
      `${BAG}/tagmanifest-sm3.txt`,
      `${BAG}/data/households.csv`,
      `${BAG}.sig.json`,
    ]);
    expect(built).toMatchObject({ files: 1, rows: 3, bytes: built.zip.length });
    const verification = verifyPackage(built.zip, { publicKeys: [HUB.publicKey] });
    expect(verification).toMatchObject({ ok: true, id: ID, files: 1, rows: 3, signedBy: ['hub#sign-1'] });
    expect(verification.failures).toEqual([]);
    expect(verification.digest).toBe(built.digest);
  });

  it('writes RFC 4180 CSV (CRLF, quoting as needed) with leading zeros kept', async () => {
    const members = unzip((await buildPackage(sampleInput())).zip);
    expect(text(members, 'data/households.csv')).toBe(
      'hh,xm,dz\r\n000123,张**,福州市鼓楼区东街街道\r\n000124,李**,"含,逗号与""引号"""\r\n000125,王**,"两行\n地址"\r\n',
    );
  });

  it('writes a descriptor that validates against package-descriptor-1.0 and a complete bag-info', async () => {
    const members = unzip((await buildPackage(sampleInput({ transfer: 'urn:ses:xfer:1' }))).zip);
    const descriptor = JSON.parse(text(members, 'datapackage.json') ?? '') as Record<string, unknown>;
    expect(validatePackageDescriptor(descriptor)).toEqual([]);
    expect(descriptor).toMatchObject({
      id: ID,
      created: '2025-06-01T10:05:00+08:00',
      'ses:masking': 'MP-STD-01',
    });
    const info = parseTagFile(text(members, 'bag-info.txt') ?? '').fields;
    expect(info.get('Payload-Oxum')).toEqual([`${members.get(`${BAG}/data/households.csv`)?.length}.1`]);
    expect(info.get('SES-Transfer')).toEqual(['urn:ses:xfer:1']);
    expect(info.get('Bagging-Date')).toEqual(['2025-06-01']);
    expect(text(members, 'bagit.txt')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  });

  it('splits large tables into parts, the header only in the first, from an async iterable', async () => {
    async function* rows() {
      for (let n = 1; n <= 5; n++) yield [String(n).padStart(6, '0'), '张**', '福州'];
    }
    const built = await buildPackage(sampleInput({ rows: rows(), partRows: 2 }));
    const members = unzip(built.zip);
    const parts = [1, 2, 3].map((n) => text(members, `data/households-part-000${n}.csv`) ?? '');
    expect(parts.map((part) => countCsvRecords(Buffer.from(part)))).toEqual([3, 2, 1]);
    expect(parts[1]?.startsWith('000003,')).toBe(true);
    const descriptor = JSON.parse(text(members, 'datapackage.json') ?? '') as {
      resources: { path: unknown }[];
    };
    expect(descriptor.resources[0]?.path).toEqual([1, 2, 3].map((n) => `data/households-part-000${n}.csv`));
    expect(verifyPackage(built.zip, { publicKeys: [HUB.publicKey] })).toMatchObject({
      ok: true,
      files: 3,
      rows: 5,
    });
  });

  it('signs with every signer (provider and hub); either key verifies', async () => {
    const built = await buildPackage(sampleInput({ signers: [foreignSigner, hubSigner] }));
    expect(built.signature.signatures.map((s) => s.keyid)).toEqual(['evil#1', 'hub#sign-1']);
    const tagmanifest = unzip(built.zip).get(`${BAG}/tagmanifest-sm3.txt`);
    expect(openDsseBytes(built.signature, [FOREIGN.publicKey], BAG_PAYLOAD_TYPE)?.payload).toEqual(
      tagmanifest,
    );
    expect(verifyPackage(built.zip, { publicKeys: [HUB.publicKey] }).ok).toBe(true);
  });

  it('refuses a bad id, a ragged row, and a table the descriptor schema would refuse', async () => {
    await expect(buildPackage(sampleInput({ id: 'urn:ses:pkg:x' }))).rejects.toThrow(PackageBuildError);
    await expect(buildPackage(sampleInput({ rows: [['000123', '张**']] }))).rejects.toMatchObject({
      code: 'PKG-BUILD-ROW',
    });
    const table = { ...sampleInput().table, name: 'Households' };
    await expect(buildPackage(sampleInput({ table }))).rejects.toMatchObject({
      code: 'PKG-BUILD-DESCRIPTOR',
    });
    await expect(buildPackage(sampleInput({ partRows: 0 }))).rejects.toMatchObject({
      code: 'PKG-BUILD-INPUT',
    });
  });
});
