import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demandHub, PROVIDER, THIRD, type DemandHub, type DemandView } from '../../../test-utils/demand.js';
import { ENGINES } from '../../../test-utils/hub.js';

type Page = { items: DemandView[]; next?: string };

describe.each(ENGINES)('demand lists on %s', (engine) => {
  let hub: DemandHub;
  const ids: Record<'routed' | 'claimable' | 'draft' | 'toThird', string> = {
    routed: '',
    claimable: '',
    draft: '',
    toThird: '',
  };
  beforeAll(async () => {
    hub = await demandHub(engine);
    ids.routed = (await hub.file({ expectedProvider: PROVIDER.id })).id;
    ids.claimable = (await hub.file()).id;
    ids.draft = (await hub.file({ submit: false })).id;
    ids.toThird = (await hub.file({ expectedProvider: THIRD.id })).id;
  });
  afterAll(async () => hub.close());

  async function list(token: string, query = ''): Promise<string[]> {
    const response = await hub.get(token, `/demands${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as Page).items.map((item) => item.id).sort();
  }

  it('shows the requester its own demands, drafts included, each with next but no history', async () => {
    expect(await list(hub.parties.requester, '?as=requester')).toEqual(Object.values(ids).sort());
    const page = (await hub.get(hub.parties.requester, '/demands?state=DRAFT')).json() as Page;
    expect(page.items.map((item) => item.id)).toEqual([ids.draft]);
    expect(page.items[0]?.next).toMatchObject({ party: 'requester', actions: ['submit', 'withdraw'] });
    expect(page.items[0]?.history).toBeUndefined();
  });

  it('shows a provider what is routed to it and the unrouted demands it may claim', async () => {
    expect(await list(hub.parties.provider, '?as=provider')).toEqual([ids.routed, ids.claimable].sort());
    expect(await list(hub.parties.providerReviewer)).toEqual([ids.routed, ids.claimable].sort());
    expect(await list(hub.parties.third)).toEqual([ids.claimable, ids.toThird].sort());
    expect(await list(hub.parties.provider, '?as=requester')).toEqual([]);
    expect(await list(hub.parties.provider, '?state=SUBMITTED')).toEqual([ids.claimable]);
  });

  it('shows admins and auditors every demand', async () => {
    expect(await list(hub.tokens.auditor)).toEqual(Object.values(ids).sort());
    expect(await list(hub.tokens.admin, '?state=ROUTED')).toEqual([ids.routed, ids.toThird].sort());
  });

  it('pages with a cursor, newest first, without repeating or losing a demand', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (
        await hub.get(hub.tokens.auditor, `/demands?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json() as Page;
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next;
    } while (cursor);
    expect(seen.sort()).toEqual(Object.values(ids).sort());
    const bad = await hub.get(hub.tokens.auditor, '/demands?cursor=bm9wZQ');
    expect(bad.json()).toMatchObject({ code: 'HUB_ERR_BAD_REQUEST' });
  });
});
