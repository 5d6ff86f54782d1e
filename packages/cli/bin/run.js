#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { execute } from '@oclif/core';

// `data validate` and `data fix` make a string per cell of files of millions of rows. When a
// scavenge finds a batch of rows alive, V8 may decide their allocation sites are long-lived and
// allocate every later row in the old generation: +70 MiB and 20–30 % slower for the rest of the
// run (bench/README.md, "data-validate"). V8 reads the flag at each decision, so it can be set here.
const [topic, command] = process.argv.slice(2);
if (topic === 'data' && (command === 'validate' || command === 'fix'))
  setFlagsFromString('--no-allocation-site-pretenuring');
await execute({ dir: import.meta.url });
