#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { execute } from '@oclif/core';

// `data validate` and `data fix` make a string per cell of files of millions of rows. In this
// process (oclif and the SDK loaded) V8's default young generation promotes them and collects
// them the slow way: with 64 MiB semi-spaces the same run is about 1.6x faster (bench/README.md).
// V8 reads the size only at start, so these two commands start node once more with it.
const SEMI_SPACE = '--max-semi-space-size=64';
const [topic, name] = process.argv.slice(2);
const heavy = topic === 'data' && (name === 'validate' || name === 'fix');
const sized = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
  arg.includes('--max-semi-space-size'),
);

if (heavy && !sized) {
  const argv = [...process.execArgv, SEMI_SPACE, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  // The IPC channel tells the child when this process is gone, even killed: it stops too.
  const child = spawn(process.execPath, argv, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
} else {
  if (process.channel) {
    process.channel.unref();
    process.on('disconnect', () => process.exit(130));
  }
  await execute({ dir: import.meta.url });
}
