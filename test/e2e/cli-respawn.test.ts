/**
 * `data validate` and `data fix` restart node once with a larger young generation (bin/run.js);
 * data-cli.test.ts checks their answers and exit codes through it. Here: the worker must not
 * outlive a killed CLI.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES } from './cli-harness.js';

const work = mkdtempSync(join(tmpdir(), 'minjiang-cli-respawn-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The pids of processes whose command line holds `marker`. */
function processesWith(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('the data commands’ worker process', () => {
  it('stops when the CLI is killed with SIGKILL', async () => {
    const fixture = readFileSync(join(FIXTURES, '../data/household-population.csv'), 'utf8').split('\n');
    const body = fixture.slice(1).filter(Boolean).join('\n');
    const big = join(work, 'respawn-marker-big.csv');
    writeFileSync(big, `${fixture[0]}\n${Array.from({ length: 20_000 }, () => body).join('\n')}\n`);
    const cli = spawn(
      process.execPath,
      [
        BIN,
        'data',
        'validate',
        big,
        '--resource',
        '3350010001/000001',
        '--catalog',
        join(FIXTURES, 'fujian-province.yaml'),
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && processesWith('respawn-marker-big').length < 2; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWith('respawn-marker-big')).toHaveLength(2);
    cli.kill('SIGKILL');
    for (let i = 0; i < 50 && processesWith('respawn-marker-big').length > 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWith('respawn-marker-big')).toEqual([]);
  });
});
