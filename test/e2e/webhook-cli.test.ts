import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSchema, runCli, startHub, type TestHub } from './cli-harness.js';

type Registered = {
  id: string;
  url: string;
  org: string;
  platform: boolean;
  events: string[];
  secret: string;
};

describe('minjiang webhook add / list / remove against a running hub', () => {
  let hub: TestHub;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    hub = await startHub();
    env = { MINJIANG_HUB: hub.address, MINJIANG_TOKEN: hub.officerToken };
  });
  afterAll(async () => hub.close());

  let added: Registered;

  it('add prints the secret once, as the result, and says it will not be shown again', async () => {
    const run = await runCli(
      ['webhook', 'add', 'http://127.0.0.1:9/notify', '--event', 'demand.decision', '--json'],
      { env },
    );
    expect(run.status, run.stderr).toBe(0);
    assertSchema('webhook-add', run.json);
    added = run.json as Registered;
    expect(added).toMatchObject({ org: hub.orgId, platform: false, events: ['demand.decision'] });
    expect(added.secret).toMatch(/^whsec_/);
    expect(run.stderr).toMatch(/不会再次显示/);
    const human = await runCli(['webhook', 'add', 'https://oa.example.gov.cn/hook', '--lang', 'en'], { env });
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(
      /^registered webhook wh_\w+: https:\/\/oa\.example\.gov\.cn\/hook .*\nsigning secret: whsec_/,
    );
    expect(human.stderr).toMatch(/will not be shown again/);
  });

  it('refuses a URL with credentials (exit 1) and an unknown event (usage, exit 2)', async () => {
    const creds = await runCli(['webhook', 'add', 'https://u:pw@oa.example.gov.cn/hook', '--json'], { env });
    expect(creds.status).toBe(1);
    expect((creds.json as { error: { code: string } }).error.code).toBe('HUB_ERR_WEBHOOK_URL');
    const event = await runCli(
      ['webhook', 'add', 'https://oa.example.gov.cn/hook', '--event', 'catalog.change'],
      {
        env,
      },
    );
    expect(event.status).toBe(2);
  });

  it('list shows the webhooks without their secrets', async () => {
    const run = await runCli(['webhook', 'list', '--json'], { env });
    expect(run.status, run.stderr).toBe(0);
    assertSchema('webhook-list', run.json);
    const { items } = run.json as { items: { id: string }[] };
    expect(items.map((item) => item.id)).toContain(added.id);
    expect(run.stdout).not.toContain(added.secret);
    const human = await runCli(['webhook', 'list'], { env });
    expect(human.stdout).toContain(added.id);
    expect(human.stdout).not.toContain('whsec_');
  });

  it('deliveries and remove; a removed webhook leaves the list, an unknown one exits 4', async () => {
    const deliveries = await runCli(['webhook', 'deliveries', added.id, '--json'], { env });
    expect(deliveries.status, deliveries.stderr).toBe(0);
    assertSchema('webhook-deliveries', deliveries.json);
    const run = await runCli(['webhook', 'remove', added.id, '--json'], { env });
    expect(run.status, run.stderr).toBe(0);
    assertSchema('webhook-remove', run.json);
    const removed = run.json as { id: string; disabledAt?: string };
    expect(removed.id).toBe(added.id);
    expect(removed.disabledAt).toMatch(/^\d{4}-/);
    const list = await runCli(['webhook', 'list', '--json'], { env });
    expect((list.json as { items: { id: string }[] }).items.map((item) => item.id)).not.toContain(added.id);
    const missing = await runCli(['webhook', 'remove', 'wh_missing'], { env });
    expect(missing.status).toBe(4);
  });
});
