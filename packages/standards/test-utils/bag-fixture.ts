/**
 * Test helpers: a sample package, and tampering tools. `reseal` re-signs after an edit, as an
 * insider holding a signing key could, so each later step can be shown to catch its own fault
 * even when the signature and tag manifest are consistent.
 */
import { createHash } from 'node:crypto';
import { generateSm2KeyPair, sm2Sign } from '../src/crypto/sm2.js';
import { sm3Hex } from '../src/crypto/sm3.js';
import type { BuildPackageInput } from '../src/package/bag.js';
import { BAG_PAYLOAD_TYPE, formatManifest, TAG_FILES } from '../src/package/bag-text.js';
import { signDsseBytes, type TextSigner } from '../src/package/dsse-bytes.js';
import { readZip, writeZip } from '../src/package/zip.js';

export const HUB = generateSm2KeyPair();
export const FOREIGN = generateSm2KeyPair();
export const hubSigner: TextSigner = { keyId: 'hub#sign-1', sign: (text) => sm2Sign(text, HUB.privateKey) };
export const foreignSigner: TextSigner = {
  keyId: 'evil#1',
  sign: (text) => sm2Sign(text, FOREIGN.privateKey),
};

export const ID = 'urn:ses:pkg:350000:2025:000456';
export const BAG = 'urn_ses_pkg_350000_2025_000456';
export const GRANT = 'urn:ses:grant:350000:2025:000123';
export const RECIPIENT = '350100/GOV/11350100MB0123456X/MZJ-JZ';

export function sampleInput(overrides: Partial<BuildPackageInput> = {}): BuildPackageInput {
  return {
    id: ID,
    grant: GRANT,
    recipient: RECIPIENT,
    dataset: 'urn:ses:ds:350000:11350000003591037R:350000A01/1',
    masking: 'MP-STD-01',
    sourceOrganisation: '福建省公安厅',
    created: new Date('2025-06-01T02:05:00Z'),
    expires: new Date('2025-07-01T00:00:00Z'),
    table: {
      name: 'households',
      fields: [
        { name: 'hh', type: 'string', 'ses:pii': 'pseudonym', 'ses:pseudonymKey': 'recipient' },
        { name: 'xm', type: 'string', title: '姓名', 'ses:pii': 'name', 'ses:masking': 'keep-first-1' },
        { name: 'dz', type: 'string', 'ses:pii': 'address', 'ses:masking': 'generalise-town' },
      ],
      primaryKey: ['hh'],
    },
    rows: [
      ['000123', '张**', '福州市鼓楼区东街街道'],
      ['000124', '李**', '含,逗号与"引号"'],
      ['000125', '王**', '两行\n地址'],
    ],
    signers: [hubSigner],
    ...overrides,
  };
}

export type Members = Map<string, Buffer>;

export function unzip(zip: Buffer): Members {
  return new Map(readZip(zip).map((entry) => [entry.name, entry.data]));
}

export function rezip(members: Members): Buffer {
  return writeZip(
    [...members].map(([name, data]) => ({ name, data })),
    new Date('2025-06-01T02:05:00Z'),
  );
}

export function editText(members: Members, path: string, edit: (text: string) => string): Members {
  const name = `${BAG}/${path}`;
  const data = members.get(name);
  if (!data) throw new Error(`no ${name}`);
  members.set(name, Buffer.from(edit(data.toString('utf8')), 'utf8'));
  return members;
}

/** Recomputes the payload manifests (when asked), the tag manifest and the signature. */
export function reseal(
  members: Members,
  options: { manifests?: boolean; signers?: TextSigner[] } = {},
): Members {
  const prefix = `${BAG}/`;
  if (options.manifests) {
    const payload = [...members].filter(([name]) => name.startsWith(`${prefix}data/`));
    const sm3 = new Map(payload.map(([name, data]) => [name.slice(prefix.length), sm3Hex(data)]));
    const sha = new Map(
      payload.map(([name, data]) => [
        name.slice(prefix.length),
        createHash('sha512').update(data).digest('hex'),
      ]),
    );
    members.set(`${prefix}manifest-sm3.txt`, Buffer.from(formatManifest(sm3)));
    members.set(`${prefix}manifest-sha512.txt`, Buffer.from(formatManifest(sha)));
  }
  const tags = new Map(
    TAG_FILES.filter((path) => members.has(prefix + path)).map((path) => [
      path,
      sm3Hex(members.get(prefix + path) as Buffer),
    ]),
  );
  const tagmanifest = Buffer.from(formatManifest(tags));
  members.set(`${prefix}tagmanifest-sm3.txt`, tagmanifest);
  const envelope = signDsseBytes(options.signers ?? [hubSigner], BAG_PAYLOAD_TYPE, tagmanifest);
  members.set(`${BAG}.sig.json`, Buffer.from(JSON.stringify(envelope)));
  return members;
}
