import { describe, expect, it } from 'vitest';
import { HubConfigError, loadConfig } from './config.js';

const load = (env: Record<string, string>) => loadConfig({ dataDir: '/tmp/minjiang-config-test' }, env);

describe('workflow configuration', () => {
  it('defaults the working days per step and the scheduler interval', () => {
    const config = load({});
    expect(config.deadlineDays).toEqual({
      precheck: 2,
      providerReview: 5,
      offer: 10,
      escalation: 10,
      demand: 10,
    });
    expect(config.schedulerInterval).toBe(30);
  });

  it('takes some steps’ days from the environment and keeps the rest', () => {
    const config = load({
      MINJIANG_DEADLINE_DAYS: '{"providerReview":10}',
      MINJIANG_SCHEDULER_INTERVAL: '0',
    });
    expect(config.deadlineDays).toMatchObject({ precheck: 2, providerReview: 10 });
    expect(config.schedulerInterval).toBe(0);
  });

  it.each([
    ['{"providerReview":2.5}', /deadlineDays.providerReview must be an integer/],
    ['{"review":3}', /unknown member "review"/],
    ['{"offer":-1}', /deadlineDays.offer must be an integer ≥ 0/],
    ['[1]', /must be an object/],
    ['five', /must be a JSON object/],
  ])('refuses deadlineDays %s and says what to fix', (value, message) => {
    expect(() => load({ MINJIANG_DEADLINE_DAYS: value })).toThrow(HubConfigError);
    expect(() => load({ MINJIANG_DEADLINE_DAYS: value })).toThrow(message);
  });
});

describe('chunk workers', () => {
  it('leaves a core to the event loop by default, takes the environment, and refuses nonsense', () => {
    const byDefault = load({}).chunkWorkers;
    expect(byDefault).toBeGreaterThanOrEqual(1);
    expect(byDefault).toBeLessThanOrEqual(4);
    expect(load({ MINJIANG_CHUNK_WORKERS: '0' }).chunkWorkers).toBe(0);
    expect(load({ MINJIANG_CHUNK_WORKERS: '3' }).chunkWorkers).toBe(3);
    expect(() => load({ MINJIANG_CHUNK_WORKERS: 'two' })).toThrow(
      /chunkWorkers must be a non-negative integer/,
    );
  });
});
