// pnpm demo: the main job on the embedded default: validate the fixture catalogs against the
// province's standards, register them at an embedded hub, a department's day with the catalog
// CLI, then its data: submit, problem tickets, the fix sheet, corrections, quality; then another
// department applies for that data and gets a grant; last, a city hub (Fuzhou) cascaded under the
// province.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCatalogFile, validateCatalog } from '@minjiang/sdk';
import { runCascadeDemo } from './demo-cascade.js';
import { runCliDemo } from './demo-cli.js';
import { runDataDemo } from './demo-data.js';
import { runHubDemo } from './demo-hub.js';
import { runShareDemo } from './demo-share.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const catalogsDir = join(root, 'fixtures', 'catalogs');
const lang = process.argv.includes('--lang=en') ? 'en' : 'zh-CN';
const SEVERITY = { 'zh-CN': { error: '错误', warning: '警告' }, en: { error: 'error', warning: 'warning' } }[
  lang
];

function printReport(file, report) {
  const { summary } = report;
  console.log(`\n${relative(root, file)}`);
  console.log(
    lang === 'en'
      ? `  ${summary.resources} resources, ${summary.valid} valid, ${summary.errors} errors, ${summary.warnings} warnings`
      : `  共 ${summary.resources} 个资源：${summary.valid} 个通过，${summary.errors} 个错误，${summary.warnings} 个警告`,
  );
  for (const resource of report.resources) {
    for (const issue of resource.issues) {
      const where = `#${resource.index}${resource.code ? ` ${resource.code}` : ''} ${issue.location || '/'}`;
      console.log(`  [${issue.code}] ${SEVERITY[issue.severity]} ${where}\n      ${issue.message}`);
      if (issue.hint) console.log(`      → ${issue.hint}`);
    }
  }
}

const files = (await readdir(catalogsDir))
  .filter((name) => /\.(json|ya?ml)$/.test(name) && !name.endsWith('.expected.json'))
  .sort()
  .map((name) => join(catalogsDir, name));

let totals = { resources: 0, errors: 0, warnings: 0 };
for (const file of files) {
  const report = validateCatalog(await readCatalogFile(file), { lang });
  printReport(file, report);
  totals = {
    resources: totals.resources + report.summary.resources,
    errors: totals.errors + report.summary.errors,
    warnings: totals.warnings + report.summary.warnings,
  };
}
console.log(
  lang === 'en'
    ? `\nValidated ${files.length} catalog files, ${totals.resources} resources: ${totals.errors} errors, ${totals.warnings} warnings.`
    : `\n已校验 ${files.length} 个目录文件、${totals.resources} 个资源：${totals.errors} 个错误，${totals.warnings} 个警告。`,
);

// Then the hub: register the valid province catalog at an embedded hub and approve it.
const province = await readCatalogFile(join(catalogsDir, 'fujian-province.json'));
await runHubDemo(province.resources, (line) => console.log(line));

// Then the CLI: a department's day with the Excel catalog, against a fresh embedded hub.
await runCliDemo(lang, (line) => console.log(line));

// Then the data: submit with known bad rows → ticket → fix sheet → corrections → ticket closed.
await runDataDemo(lang, (line) => console.log(line));

// Then sharing: another department applies → precheck → narrower offer → accept → grant; then
// the exchange under grants (query, 核验, package) and the auditor's offline check.
await runShareDemo(lang, (line) => console.log(line));

// Then the cascade: Fuzhou's city hub registers under the province, publishes, is synced, withdraws.
await runCascadeDemo(lang, (line) => console.log(line));
