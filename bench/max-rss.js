// Preloaded with `node --import ./bench/max-rss.js …`: on exit, the process writes its peak
// resident memory (KiB) to the file named by MINJIANG_BENCH_RSS, portable where /usr/bin/time is not.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const target = process.env.MINJIANG_BENCH_RSS;
// A process may start node again with the same hook (the CLI's data commands do): the file keeps
// the largest peak of all of them.
if (target)
  process.on('exit', () => {
    const earlier = existsSync(target) ? Number(readFileSync(target, 'utf8')) || 0 : 0;
    writeFileSync(target, String(Math.max(earlier, process.resourceUsage().maxRSS)));
  });
