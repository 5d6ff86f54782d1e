import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainEntry, resourceCode, transition } from '../../../test-utils/catalog.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';

type Page = {
  items: { code: string; name: string; status: string; shareType: string; document?: unknown }[];
  next: string | null;
};

const RESOURCES = [
  plainEntry(1, { name: '社会保障卡信息', summary: '持卡人社保卡的基本信息。', keywords: ['社保'] }),
  plainEntry(2, { name: '公积金缴存记录', summary: '住房公积金的缴存明细。' }),
  // Holds the bigrams 社会, 会保 and 保障 of 社会保障, but never the four characters together
  plainEntry(3, { name: '救助对象名录', summary: '本资源涉及社会、会保、保障三个词。' }),
  plainEntry(4, { name: '企业年报 export', summary: 'Oracle 数据库导出，经 API 提供。' }),
  {
    ...plainEntry(5, { name: '道路运输许可', summary: '运输许可证的发放记录。' }),
    sharing: {
      type: '有条件共享' as const,
      condition: '仅用于行政执法',
      methodCategory: '共享平台方式' as const,
      methodTypes: ['文件' as const],
    },
  },
];

describe.each(ENGINES)('catalog listing and search on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await buildTestHub(engine);
    const batch = await hub.call(hub.tokens.officer, {
      method: 'POST',
      url: '/api/v1/catalog/resources:batch',
      payload: { entries: RESOURCES },
    });
    expect(batch.statusCode).toBe(200);
    for (const entry of RESOURCES) {
      await transition(hub, hub.tokens.officer, entry.code, 'submit');
      await transition(hub, hub.tokens.admin, entry.code, 'approve');
    }
  });
  afterAll(async () => hub.close());

  const search = async (q: string, token = hub.tokens.consumer, extra = '') => {
    const response = await hub.call(token, {
      method: 'GET',
      url: `/api/v1/catalog/resources?q=${encodeURIComponent(q)}${extra}`,
    });
    expect(response.statusCode).toBe(200);
    return (response.json() as Page).items.map((item) => item.code);
  };

  it('finds a one-character Chinese term by its unigram', async () => {
    expect(await search('卡')).toEqual([resourceCode(1)]);
    expect(await search('缴')).toEqual([resourceCode(2)]);
  });

  it('finds a two-character Chinese term by its bigram, in name, summary or keywords', async () => {
    expect(await search('缴存')).toEqual([resourceCode(2)]);
    expect(await search('社保')).toEqual([resourceCode(1)]);
    expect(await search('许可')).toEqual([resourceCode(5)]);
  });

  it('finds a four-character term only where it occurs contiguously, not where only its bigrams do', async () => {
    expect(await search('社会保障')).toEqual([resourceCode(1)]);
    expect(await search('会保')).toEqual([resourceCode(1), resourceCode(3)]);
  });

  it('matches ASCII words whole and regardless of case or width', async () => {
    expect(await search('oracle')).toEqual([resourceCode(4)]);
    expect(await search('ORACLE')).toEqual([resourceCode(4)]);
    expect(await search('ＡＰＩ')).toEqual([resourceCode(4)]);
    expect(await search('racle')).toEqual([]);
  });

  it('needs every keyword of a query, and finds nothing for a query without letters or digits', async () => {
    expect(await search('社会保障 卡')).toEqual([resourceCode(1)]);
    expect(await search('社会保障 缴存')).toEqual([]);
    expect(await search('。，')).toEqual([]);
    expect(await search('不存在的词')).toEqual([]);
  });

  it('combines search with filters, given as labels or as codes', async () => {
    expect(await search('许可', hub.tokens.consumer, '&shareType=有条件共享')).toEqual([resourceCode(5)]);
    expect(await search('许可', hub.tokens.consumer, '&shareType=2')).toEqual([resourceCode(5)]);
    expect(await search('许可', hub.tokens.consumer, '&shareType=1')).toEqual([]);
    const unknown = await hub.call(hub.tokens.consumer, {
      method: 'GET',
      url: '/api/v1/catalog/resources?grading=secret',
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('filters by open type, grading and update cycle, and by organisation and status', async () => {
    const list = async (query: string, token = hub.tokens.consumer) => {
      const response = await hub.call(token, {
        method: 'GET',
        url: `/api/v1/catalog/resources?limit=500&${query}`,
      });
      expect(response.statusCode, query).toBe(200);
      return (response.json() as Page).items.map((item) => item.code);
    };
    const all = RESOURCES.map((entry) => entry.code);
    expect(await list('openType=无条件开放')).toEqual(expect.arrayContaining(all));
    expect(await list('openType=3')).toEqual([]);
    expect(await list('grading=general-1')).toEqual(expect.arrayContaining(all));
    expect(await list(`grading=${encodeURIComponent('一般数据1级')}`)).toEqual(
      await list('grading=general-1'),
    );
    expect(await list('grading=core')).toEqual([]);
    expect(await list('updateCycle=9')).toEqual(expect.arrayContaining(all));
    expect(await list('updateCycle=1')).toEqual([]);
    expect(await list(`org=${encodeURIComponent('350000/GOV/11350000FJ000005X3')}`)).toEqual([]);
    expect(await list('status=published')).toEqual(expect.arrayContaining(all));
    expect(await list('status=draft')).toEqual([]);
  });

  it('searches the version a caller may see: a draft’s new words only for its owner', async () => {
    const draft = { ...RESOURCES[1]!, summary: '住房公积金的缴存明细，含提取记录。' };
    expect(
      (
        await hub.call(hub.tokens.officer, {
          method: 'PUT',
          url: `/api/v1/catalog/resources/${encodeURIComponent(draft.code)}`,
          payload: draft,
        })
      ).statusCode,
    ).toBe(200);
    expect(await search('提取', hub.tokens.officer)).toEqual([resourceCode(2)]);
    expect(await search('提取', hub.tokens.consumer)).toEqual([]);
    // The published words still find the published version for others
    expect(await search('缴存', hub.tokens.consumer)).toEqual([resourceCode(2)]);
  });

  it('pages with an opaque cursor: every resource once, in code order, across pages', async () => {
    const more = Array.from({ length: 12 }, (_, i) =>
      plainEntry(100 + i, { name: `分页资源${i}`, summary: '用于分页测试。' }),
    );
    await hub.call(hub.tokens.officer, {
      method: 'POST',
      url: '/api/v1/catalog/resources:batch',
      payload: { entries: more },
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/catalog/resources?limit=5&org=${encodeURIComponent('350000/GOV/11350000FJ0000017T')}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await hub.call(hub.tokens.officer, { method: 'GET', url })).json() as Page;
      seen.push(...page.items.map((item) => item.code));
      cursor = page.next;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(17);
    expect(new Set(seen).size).toBe(17);
    expect([...seen].sort()).toEqual(seen);
    // Search results page the same way
    const first = (
      await hub.call(hub.tokens.officer, {
        method: 'GET',
        url: `/api/v1/catalog/resources?q=${encodeURIComponent('分页')}&limit=10`,
      })
    ).json() as Page;
    const second = (
      await hub.call(hub.tokens.officer, {
        method: 'GET',
        url: `/api/v1/catalog/resources?q=${encodeURIComponent('分页')}&limit=10&cursor=${first.next}`,
      })
    ).json() as Page;
    expect(first.items).toHaveLength(10);
    expect(second.items).toHaveLength(2);
    expect(second.next).toBeNull();
    expect(new Set([...first.items, ...second.items].map((item) => item.code)).size).toBe(12);
  });

  it('includes documents only when asked, and refuses a forged cursor and an out-of-range limit', async () => {
    const withDocs = (
      await hub.call(hub.tokens.consumer, {
        method: 'GET',
        url: '/api/v1/catalog/resources?limit=2&document=true',
      })
    ).json() as Page;
    expect(withDocs.items[0]?.document).toMatchObject({ code: withDocs.items[0]?.code });
    const without = (
      await hub.call(hub.tokens.consumer, { method: 'GET', url: '/api/v1/catalog/resources?limit=2' })
    ).json() as Page;
    expect(without.items[0]?.document).toBeUndefined();
    for (const query of ['cursor=not-a-cursor', 'limit=0', 'limit=501', 'status=lost', 'colour=blue']) {
      const response = await hub.call(hub.tokens.consumer, {
        method: 'GET',
        url: `/api/v1/catalog/resources?${query}`,
      });
      expect(response.statusCode, query).toBe(400);
    }
  });

  it('orders codes byte by byte on both engines, whatever the database locale', async () => {
    // A locale that skips "/" would put 335001/000009 after 3350010/000001
    const short = { ...plainEntry(0, { name: '排序甲', summary: '排序测试。' }), code: '335001/000009' };
    const long = { ...plainEntry(0, { name: '排序乙', summary: '排序测试。' }), code: '3350010/000001' };
    for (const entry of [long, short]) {
      await hub.call(hub.tokens.officer, {
        method: 'PUT',
        url: `/api/v1/catalog/resources/${encodeURIComponent(entry.code)}`,
        payload: entry,
      });
      await transition(hub, hub.tokens.officer, entry.code, 'submit');
      await transition(hub, hub.tokens.admin, entry.code, 'approve');
    }
    const url = `/api/v1/catalog/resources?limit=1&q=${encodeURIComponent('排序')}`;
    const first = (await hub.call(hub.tokens.consumer, { method: 'GET', url })).json() as Page;
    const second = (
      await hub.call(hub.tokens.consumer, { method: 'GET', url: `${url}&cursor=${first.next}` })
    ).json() as Page;
    expect([...first.items, ...second.items].map((item) => item.code)).toEqual([
      '335001/000009',
      '3350010/000001',
    ]);
    if (engine === 'postgres') {
      const { rows } = await sql<{
        collation_name: string;
      }>`select collation_name from information_schema.columns
        where table_name in ('catalog_resources', 'catalog_versions', 'catalog_terms') and column_name = 'code'`.execute(
        hub.app.hub.store.db,
      );
      expect(rows.map((row) => row.collation_name)).toEqual(['C', 'C', 'C']);
    }
  });
});
