// Runs one contender in its own process and measures it: wall seconds, and for node processes
// the peak resident memory, written on exit by the preloaded bench/max-rss.js.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const RSS = join(root, 'bench/max-rss.js');

/**
 * Runs `command args` (node with the RSS hook and `nodeArgs` unless `node` is false) in `cwd`
 * with `env` added; resolves with { seconds, mib, status, stdout, stderr } whatever the status.
 */
export function measure(command, args, { env = {}, cwd = root, node = true, nodeArgs = [] } = {}) {
  const rssFile = join(tmpdir(), `minjiang-rss-${process.pid}-${Math.random()}`);
  const start = performance.now();
  const child = spawn(command, node ? [...nodeArgs, '--import', RSS, ...args] : args, {
    cwd,
    env: { ...process.env, CI: '1', MINJIANG_BENCH_RSS: rssFile, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => {
      const seconds = (performance.now() - start) / 1000;
      const mib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN;
      rmSync(rssFile, { force: true });
      resolve({ seconds, mib, status, stdout, stderr });
    });
  });
}

/** `measure` of a node script, refusing any exit status not in `ok`. */
export async function measureOk(args, options = {}, ok = [0]) {
  const result = await measure(process.execPath, args, options);
  if (!ok.includes(result.status))
    throw new Error(`${args.slice(0, 3).join(' ')} exited ${result.status}: ${result.stderr}`);
  return result;
}
