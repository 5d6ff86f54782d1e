// Catalog validation throughput: our full validateCatalogEntry (normalise codes, schema with all
// errors, 27 cross-field rules, message rendering) against the limit it cannot beat in the same
// run: a bare compiled Ajv validator of the same schema on the same documents.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { schemaValidator, validateCatalogEntry, formatResourceCode } from '@minjiang/standards';

const base = JSON.parse(
  readFileSync(new URL('../fixtures/catalog-resource/valid/full.json', import.meta.url), 'utf8'),
);

/** N distinct, valid entries: the realistic fixture with its code, name and items varied. */
function entries(count) {
  return Array.from({ length: count }, (_, index) => ({
    ...structuredClone(base),
    code: formatResourceCode({
      category: '3',
      item: '35',
      target: '001',
      detail: '0001',
      sequence: index + 1,
    }),
    name: `常住人口基本信息${index}`,
    relatedResources: [],
  }));
}

function measure(label, documents, fn, rounds = 5) {
  let best = Infinity;
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (const document of documents) fn(document);
    best = Math.min(best, performance.now() - start);
  }
  return { label, perSecond: Math.round((documents.length / best) * 1000), ms: Math.round(best) };
}

export function run(count = 20_000) {
  const documents = entries(count);
  const invalid = documents.map((document) => ({ ...document, sharing: { type: '2' }, summery: 'x' }));
  const ajv = schemaValidator('catalog-resource', false);
  const ajvAll = schemaValidator('catalog-resource', true);
  validateCatalogEntry(documents[0]); // warm the caches: code tables, compiled schemas
  const results = [
    measure('bare Ajv, first error (limit)', documents, (d) => ajv(d)),
    measure('bare Ajv, all errors', documents, (d) => ajvAll(d)),
    measure('validateCatalogEntry, valid entries', documents, (d) => validateCatalogEntry(d)),
    measure('validateCatalogEntry, invalid entries', invalid, (d) => validateCatalogEntry(d)),
  ];
  const limit = results[0].perSecond;
  return results.map((r) => ({ ...r, ratioToLimit: Number((r.perSecond / limit).toFixed(3)) }));
}
