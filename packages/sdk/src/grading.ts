/**
 * Classification and grading (分类分级, GB/T 43697) at the hub, `/api/v1/admin/grading/…`
 * (docs/grading.md): propose, list, show, review, apply, conflicts; and the review file a
 * reviewer fills offline. Admin token to act; admin or auditor to read.
 */
import {
  normalizeGrade,
  type GradeProposal,
  type GradeReason,
  type GradingConflict,
  type Lang,
} from '@minjiang/standards';
import type { HubClient } from './client/hub-client.js';
import { MinjiangError } from './core/errors.js';

export type GradeProposalStatus = 'pending' | 'accepted' | 'rejected' | 'applied' | 'superseded' | 'stale';

/** A proposal as the hub shows it; `items` only when read one by one. */
export interface GradeProposalView {
  id: string;
  resourceCode: string;
  resourceName?: string;
  orgId: string;
  /** The published version graded. */
  version: number;
  declared: string;
  proposed: string;
  change: 'raise' | 'lower' | 'same';
  /** The reviewer's level (accepted: the proposed one; overridden: another). */
  decided?: string;
  status: GradeProposalStatus;
  sampledRows?: number;
  reasons: GradeReason[];
  rules?: { name: string; version: string };
  items?: GradeProposal['items'];
  review?: { reason?: string; by: string; at: string };
  applied?: { version: number; by: string; at: string };
  createdBy?: string;
  createdAt: string;
  updatedAt?: string;
}

export interface GradeProposeQuery {
  /** An organisation id (`350000/GOV/<USCC>`). */
  org?: string;
  codePrefix?: string;
  /** Rows sampled per resource, at most the hub's gradingSample. */
  sample?: number;
}

export interface GradeProposeResult {
  proposals: GradeProposalView[];
  summary: { resources: number; raise: number; lower: number; same: number; superseded: number };
}

export interface GradeListQuery {
  status?: GradeProposalStatus;
  org?: string;
  codePrefix?: string;
  limit?: number;
  cursor?: string;
}

export type GradeDecision = 'accept' | 'reject' | 'override';

/** One review decision: `override` needs `grade`; `reject` and `override` need `reason`. */
export interface GradeReviewInput {
  decision: GradeDecision;
  grade?: string;
  reason?: string;
}

export type GradeApplyResultKind = 'applied' | 'unchanged' | 'would-apply' | 'failed';

export interface GradeApplyOutcome {
  id: string;
  resourceCode: string;
  result: GradeApplyResultKind;
  from: string;
  to: string;
  version?: number;
  etag?: string;
  error?: { code: string; message: string; hint: string };
}

export interface GradeApplyResult {
  dryRun: boolean;
  results: GradeApplyOutcome[];
  summary: { applied: number; unchanged: number; wouldApply: number; failed: number };
}

export interface GradeConflictReport {
  policy: { name: string; title: string; version: string };
  checked: number;
  resourcesWithConflicts: number;
  conflicts: (GradingConflict & { version: number; basis: 'proposal' | 'engine'; proposal?: string })[];
}

export interface GradingCallOptions {
  /** The language of the hub's messages and reasons. */
  lang?: Lang;
}

const BASE = '/api/v1/admin/grading';

function headers(options: GradingCallOptions) {
  return options.lang === 'en' ? { headers: { 'accept-language': 'en' } } : {};
}

/** Grades the published resources a query covers and files a pending proposal for each. */
export async function proposeGrades(
  client: HubClient,
  query: GradeProposeQuery,
  options: GradingCallOptions = {},
) {
  const { data } = await client.transport.request<GradeProposeResult>({
    method: 'POST',
    path: `${BASE}/propose`,
    body: query,
    ...headers(options),
  });
  return data;
}

/** One page of proposals, newest first. */
export async function listGradeProposals(
  client: HubClient,
  query: GradeListQuery = {},
  options: GradingCallOptions = {},
) {
  const { data } = await client.transport.request<{ items: GradeProposalView[]; next?: string }>({
    method: 'GET',
    path: `${BASE}/proposals`,
    query: { ...query },
    ...headers(options),
  });
  return data;
}

/** Every proposal a query covers, page after page. */
export async function* allGradeProposals(
  client: HubClient,
  query: Omit<GradeListQuery, 'cursor'> = {},
  options: GradingCallOptions = {},
) {
  let cursor: string | undefined;
  do {
    const page = await listGradeProposals(client, { ...query, ...(cursor ? { cursor } : {}) }, options);
    yield* page.items;
    cursor = page.next;
  } while (cursor !== undefined);
}

/** One proposal with every item's level and reasons. */
export async function getGradeProposal(client: HubClient, id: string, options: GradingCallOptions = {}) {
  const { data } = await client.transport.request<GradeProposalView>({
    method: 'GET',
    path: `${BASE}/proposals/${encodeURIComponent(id)}`,
    ...headers(options),
  });
  return data;
}

/** Accepts, rejects or overrides one proposal. */
export async function reviewGradeProposal(
  client: HubClient,
  id: string,
  input: GradeReviewInput,
  options: GradingCallOptions = {},
) {
  const { data } = await client.transport.request<GradeProposalView>({
    method: 'POST',
    path: `${BASE}/proposals/${encodeURIComponent(id)}/review`,
    body: input,
    ...headers(options),
  });
  return data;
}

/** Writes every accepted level onto its resource (a new published version), or says what would happen. */
export async function applyGrades(
  client: HubClient,
  input: { dryRun?: boolean } = {},
  options: GradingCallOptions = {},
) {
  const { data } = await client.transport.request<GradeApplyResult>({
    method: 'POST',
    path: `${BASE}/apply`,
    body: input,
    ...headers(options),
  });
  return data;
}

/** The configured policy's conflicts with the published catalog. */
export async function gradingConflicts(
  client: HubClient,
  query: { org?: string; codePrefix?: string } = {},
  options: GradingCallOptions = {},
) {
  const { data } = await client.transport.request<GradeConflictReport>({
    method: 'GET',
    path: `${BASE}/conflicts`,
    query: { ...query },
    ...headers(options),
  });
  return data;
}

/** One decision of a review file, with the proposal it is about. */
export interface GradeReviewDecision extends GradeReviewInput {
  id: string;
}

const FILE_TEXT = {
  json: { 'zh-CN': '审核文件不是有效的 JSON：{detail}', en: 'The review file is not valid JSON: {detail}' },
  shape: {
    'zh-CN': '审核文件应为决定的数组（或 {"decisions": [...]}）',
    en: 'The review file must be an array of decisions (or {"decisions": [...]})',
  },
  entry: { 'zh-CN': '第 {n} 项决定不正确：{detail}', en: 'Decision {n} is not right: {detail}' },
  hint: {
    'zh-CN':
      '每项形如 {"id": "GP-2026-1", "decision": "accept"}；reject 须有 reason；override 须有 grade 和 reason。',
    en: 'Each entry is like {"id": "GP-2026-1", "decision": "accept"}; reject needs a reason; override needs a grade and a reason.',
  },
};

function say(text: Record<Lang, string>, lang: Lang, params: Record<string, string | number> = {}) {
  return text[lang].replace(/\{(\w+)\}/g, (whole, key: string) => String(params[key] ?? whole));
}

function entryProblem(entry: Record<string, unknown>, lang: Lang): string | undefined {
  const en = lang === 'en';
  if (typeof entry.id !== 'string' || entry.id === '') return en ? 'no id' : '缺少 id';
  if (!['accept', 'reject', 'override'].includes(entry.decision as string))
    return en ? 'decision must be accept, reject or override' : 'decision 应为 accept、reject 或 override';
  if (entry.decision !== 'accept' && (typeof entry.reason !== 'string' || entry.reason.trim() === ''))
    return en ? `${String(entry.decision)} needs a reason` : `${String(entry.decision)} 须填写 reason`;
  if (entry.decision === 'override' && normalizeGrade(entry.grade) === undefined)
    return en
      ? `grade "${String(entry.grade)}" is not a GB/T 43697 level`
      : `grade“${String(entry.grade)}”不是 GB/T 43697 的级别`;
  return undefined;
}

/** Reads a review file's text: every decision checked before any is sent. */
export function parseGradeReviewFile(
  text: string,
  location: string,
  lang: Lang = 'zh-CN',
): GradeReviewDecision[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    const detail = (error as Error).message;
    throw new MinjiangError('GRADE-REVIEW-FILE', say(FILE_TEXT.json, lang, { detail }), {
      location,
      hint: say(FILE_TEXT.hint, lang),
    });
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { decisions?: unknown } | null)?.decisions;
  if (!Array.isArray(list))
    throw new MinjiangError('GRADE-REVIEW-FILE', say(FILE_TEXT.shape, lang), {
      location,
      hint: say(FILE_TEXT.hint, lang),
    });
  return list.map((raw, index) => {
    const entry = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const detail = entryProblem(entry, lang);
    if (detail !== undefined)
      throw new MinjiangError('GRADE-REVIEW-FILE', say(FILE_TEXT.entry, lang, { n: index + 1, detail }), {
        location: `${location}#/${index}`,
        hint: say(FILE_TEXT.hint, lang),
      });
    return {
      id: entry.id as string,
      decision: entry.decision as GradeDecision,
      ...(typeof entry.grade === 'string' ? { grade: entry.grade } : {}),
      ...(typeof entry.reason === 'string' ? { reason: entry.reason } : {}),
    };
  });
}
