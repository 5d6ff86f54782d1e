// pnpm bench: runs every benchmark and prints its figures next to the limit it is compared with.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as catalogValidate from './catalog-validate.js';
import * as hubStart from './hub-start.js';
import * as catalogHub from './catalog-hub.js';
import * as catalogCli from './catalog-cli.js';
import * as dataValidate from './data-validate.js';
import * as dataSubmit from './data-submit.js';
import * as exchangeLookup from './exchange-lookup.js';
import * as cascadeSync from './cascade-sync.js';

const benches = {
  'catalog-validate': catalogValidate,
  'hub-start': hubStart,
  'catalog-hub': catalogHub,
  'catalog-cli': catalogCli,
  'data-validate': dataValidate,
  'data-submit': dataSubmit,
  'exchange-lookup': exchangeLookup,
  'cascade-sync': cascadeSync,
};
const only = process.argv[2];
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
for (const [name, bench] of Object.entries(benches)) {
  if (only && only !== name) continue;
  const results = await bench.run();
  console.log(`\n${name} (node ${process.version})`);
  console.table(results);
  writeFileSync(
    new URL(`./results/${name}.json`, import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
}
