// Preloaded with `node --import ./bench/max-rss.js …`: on exit, the process writes its peak
// resident memory (KiB) to the file named by MINJIANG_BENCH_RSS, portable where /usr/bin/time is not.
import { writeFileSync } from 'node:fs';

const target = process.env.MINJIANG_BENCH_RSS;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
