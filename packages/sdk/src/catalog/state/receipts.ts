import { verifyReceipt, type Receipt } from '@minjiang/standards';
import type { CatalogStateStore } from './store.js';
import type { PinnedKey } from './types.js';

export const RECEIPT_FORMAT = 'minjiang-receipt/1';

/** What a receipt must attest for one resource: the hub's answer, and the content sent. */
export interface ReceiptExpectation {
  code: string;
  version?: number;
  contentHash?: string;
  status?: string;
  result?: string;
}

/** `.minjiang/receipts/<hub>/…json`: a receipt as received, with what it was checked against. */
export interface SavedReceipt {
  format: typeof RECEIPT_FORMAT;
  /** `batch` for a batch write, else the review action (`submit`, `withdraw`, …) or `write`. */
  kind: string;
  hub: { baseURL: string; code: string };
  savedAt: string;
  idempotencyKey?: string;
  expected: ReceiptExpectation[];
  /** Whether it verified when it was received; `problems` says why not. */
  verified: boolean;
  problems?: string[];
  receipt: unknown;
}

type AnyPayload = Record<string, unknown> & { items?: Record<string, unknown>[] };

const FIELDS = ['version', 'contentHash', 'status', 'result'] as const;

function mismatches(expected: ReceiptExpectation, found: Record<string, unknown> | undefined): string[] {
  if (!found) return [`回执未列出资源 ${expected.code}`];
  return FIELDS.flatMap((field) =>
    expected[field] !== undefined && found[field] !== expected[field]
      ? [`回执中 ${expected.code} 的 ${field} 为 ${String(found[field])}，应为 ${String(expected[field])}`]
      : [],
  );
}

/**
 * Checks a receipt: signed by the pinned key (SM2 over the payload's canonical JSON), issued by
 * this hub, and saying exactly what the hub answered and what was sent. Returns the problems
 * found, in words; none means the receipt is good.
 */
export function checkReceipt(
  receipt: unknown,
  key: Pick<PinnedKey, 'keyId' | 'publicKey'>,
  hubCode: string,
  expected: readonly ReceiptExpectation[],
): string[] {
  if (receipt === undefined) return ['枢纽的应答没有回执'];
  if (!verifyReceipt(receipt, key.publicKey))
    return ['回执签名无法用已固定的枢纽公钥验证：回执或应答可能被篡改'];
  const { payload, signature } = receipt as Receipt<AnyPayload>;
  const problems: string[] = [];
  if (signature.keyId !== key.keyId) problems.push(`回执的密钥标识为 ${signature.keyId}，应为 ${key.keyId}`);
  if (payload.hub !== hubCode) problems.push(`回执由枢纽 ${String(payload.hub)} 签发，应为 ${hubCode}`);
  for (const one of expected) {
    const found = payload.items
      ? payload.items.find((item) => item.code === one.code)
      : payload.code === one.code
        ? payload
        : undefined;
    problems.push(...mismatches(one, found));
  }
  return problems;
}

/** The outcome of re-checking saved receipts offline. */
export interface ReceiptAudit {
  checked: number;
  failed: { path: string; problems: string[] }[];
}

/**
 * Re-verifies every receipt saved for this hub with the pinned key (or the key given), offline:
 * an auditor's check that none was altered since it was received.
 */
export async function verifySavedReceipts(
  store: CatalogStateStore,
  key?: Pick<PinnedKey, 'keyId' | 'publicKey'>,
): Promise<ReceiptAudit> {
  const pinned = key ?? (await store.readState())?.hub.key;
  const paths = await store.listReceipts();
  const audit: ReceiptAudit = { checked: 0, failed: [] };
  for (const path of paths) {
    audit.checked += 1;
    const saved = await store.readReceipt(path);
    const problems = !pinned
      ? ['没有固定的枢纽公钥，无法验证']
      : checkReceipt(saved?.receipt, pinned, saved?.hub.code ?? '', saved?.expected ?? []);
    if (problems.length > 0) audit.failed.push({ path, problems });
  }
  return audit;
}
