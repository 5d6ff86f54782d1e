import type { HubClient } from '../../client/hub-client.js';
import type { ProblemItem, ProblemStatus } from '../../client/data-types.js';
import { fixSheetFormatOf, writeFixSheet, type FixSheetFormat, type FixSheetSummary } from './write.js';

export interface PullFixSheetOptions {
  format?: FixSheetFormat;
  /** Which records: the open ones by default, or all. */
  status?: ProblemStatus | 'all';
}

/** A ticket's problem records, page after page, into a fix sheet (`feedback pull`). */
export async function pullFixSheet(
  client: HubClient,
  ticket: string,
  path: string,
  options: PullFixSheetOptions = {},
): Promise<FixSheetSummary & { ticket: string }> {
  const wanted = options.status ?? 'open';
  const status = wanted === 'all' ? {} : { status: wanted };
  const first = await client.data.getProblemPage(ticket, status);
  async function* problems(): AsyncGenerator<ProblemItem> {
    yield* first.items;
    let cursor = first.next ?? undefined;
    while (cursor !== undefined) {
      const page = await client.data.getProblemPage(ticket, { ...status, cursor });
      yield* page.items;
      cursor = page.next ?? undefined;
    }
  }
  const format = options.format ?? fixSheetFormatOf(path);
  const summary = await writeFixSheet(problems(), first.header, path, format, { ticket });
  return { ...summary, ticket };
}

/** The ids of a ticket's open problem records: what a fix sheet may correct. */
export async function openProblemIds(client: HubClient, ticket: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const problem of client.data.listProblems(ticket, { status: 'open' })) ids.add(problem.id);
  return ids;
}
