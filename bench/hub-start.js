// Hub start to first answered request, on the embedded default (SQLite), compared with the
// limit measured in the same run: a bare Fastify process answering one route.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/cli/bin/run.js');

async function firstAnswer(url, deadline) {
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`no answer from ${url}`);
}

async function timeProcess(args, url, options = {}) {
  const start = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore', ...options });
  try {
    await firstAnswer(url, start + 20_000);
    return performance.now() - start;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function run(rounds = 7) {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-bench-start-'));
  const bareDir = mkdtempSync(join(tmpdir(), 'minjiang-bench-bare-'));
  const bare = join(root, 'packages/hub/bench-bare-fastify.mjs');
  writeFileSync(
    bare,
    "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/ping', async () => ({ ok: true }));\nawait app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });\n",
  );
  try {
    spawnSync(process.execPath, [cli, 'hub', 'init', '--data-dir', dataDir], { stdio: 'ignore' });
    const hub = [];
    const limit = [];
    for (let round = 0; round < rounds; round += 1) {
      const port = 18800 + round;
      limit.push(await timeProcess([bare, String(port)], `http://127.0.0.1:${port}/ping`));
      hub.push(
        await timeProcess(
          [cli, 'hub', 'start', '--data-dir', dataDir, '--port', String(port + 100)],
          `http://127.0.0.1:${port + 100}/api/v1/version`,
          { env: { ...process.env, MINJIANG_LOG_LEVEL: 'warn' } },
        ),
      );
    }
    const results = [
      {
        label: 'bare Fastify process, one route (limit)',
        medianMs: Math.round(median(limit)),
        minMs: Math.round(Math.min(...limit)),
      },
      {
        label: 'minjiang hub start → first /api/v1/version',
        medianMs: Math.round(median(hub)),
        minMs: Math.round(Math.min(...hub)),
      },
    ];
    return results.map((r) => ({
      ...r,
      ratioToLimit: Number((r.medianMs / results[0].medianMs).toFixed(2)),
    }));
  } finally {
    rmSync(bare, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bareDir, { recursive: true, force: true });
  }
}
