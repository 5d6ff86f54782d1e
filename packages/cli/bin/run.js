#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { execute } from '@oclif/core';

// The data commands make a string per cell of files of millions of rows. When a scavenge finds a
// batch of rows alive, V8 may decide their allocation sites are long-lived and allocate every
// later row in the old generation: +70 MiB and 20–30 % slower for the rest of the run
// (bench/README.md, "data-validate"). The flag is read at each decision, so it can be set here.
if (process.argv[2] === 'data') setFlagsFromString('--no-allocation-site-pretenuring');
await execute({ dir: import.meta.url });
