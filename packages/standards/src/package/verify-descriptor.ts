/**
 * Step 6 of the package verification (exchange.md §8.8): datapackage.json. Paths must be
 * relative children of the bag (no URL, no absolute path, no `..`), every resource's bytes and
 * SM3 hash must match its parts, and every payload file must belong to a resource. The package
 * id, grant and recipient must be the same in the bag directory name, bag-info.txt and the
 * descriptor, because a reader may look at any one of them.
 */
import { sm3Hex } from '../crypto/sm3.js';
import { validatePackageDescriptor } from '../validate.js';
import { bagNameOf, countCsvRecords } from './bag-text.js';
import { safeRelativePath, type VerifyContext } from './verify-context.js';

interface RawResource {
  name?: unknown;
  path?: unknown;
  bytes?: unknown;
  hash?: unknown;
  format?: unknown;
  dialect?: { header?: unknown };
}

export interface DescriptorFacts {
  id?: string;
  grant?: string;
  recipient?: string;
  rows: number;
}

function parse(ctx: VerifyContext): Record<string, unknown> | undefined {
  const text = ctx.text('datapackage.json');
  if (text === undefined) return undefined;
  const file = ctx.member('datapackage.json');
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch (error) {
    ctx.fail(6, 'PKG-151', { detail: (error as Error).message }, file);
    return undefined;
  }
  ctx.fail(6, 'PKG-151', { detail: 'not a JSON object' }, file);
  return undefined;
}

const pathsOf = (resource: RawResource): unknown[] =>
  Array.isArray(resource.path) ? resource.path : [resource.path];

/** Unsafe paths first, with their own code; then the schema and its rules. */
function checkShape(ctx: VerifyContext, descriptor: Record<string, unknown>): RawResource[] | undefined {
  const file = ctx.member('datapackage.json');
  const resources = (Array.isArray(descriptor.resources) ? descriptor.resources : []) as RawResource[];
  let unsafe = false;
  for (const resource of resources) {
    for (const path of pathsOf(resource)) {
      if (typeof path !== 'string' || safeRelativePath(path)) continue;
      ctx.fail(6, 'PKG-152', { resource: String(resource.name), file: path }, file);
      unsafe = true;
    }
  }
  if (unsafe) return undefined;
  const issues = validatePackageDescriptor(descriptor, { lang: ctx.lang });
  if (issues.length === 0) return resources;
  const detail = issues
    .slice(0, 3)
    .map((issue) => `${issue.code} ${issue.location} ${issue.message}`)
    .join('; ');
  ctx.fail(6, 'PKG-151', { detail }, file);
  return undefined;
}

/** Checks one resource against its parts; returns its data rows (CSV with a header row). */
function checkResource(ctx: VerifyContext, resource: RawResource, listed: ReadonlySet<string>): number {
  const name = String(resource.name);
  const paths = pathsOf(resource) as string[];
  const parts: Buffer[] = [];
  for (const path of paths) {
    const data = ctx.files.get(path);
    if (data === undefined || !listed.has(path))
      ctx.fail(6, 'PKG-153', { resource: name, file: path }, ctx.member(path));
    else parts.push(data);
  }
  if (parts.length < paths.length) return 0;
  const whole = Buffer.concat(parts);
  const file = ctx.member(paths[0] as string);
  if (resource.bytes !== whole.length) {
    ctx.fail(6, 'PKG-154', { resource: name, expected: String(resource.bytes), found: whole.length }, file);
  }
  if (String(resource.hash).toLowerCase() !== `sm3:${sm3Hex(whole)}`) {
    ctx.fail(6, 'PKG-155', { resource: name, expected: String(resource.hash) }, file);
  }
  if (resource.format !== 'csv') return 0;
  const header = resource.dialect?.header === false ? 0 : 1;
  return Math.max(0, countCsvRecords(whole) - header);
}

function checkIdentity(
  ctx: VerifyContext,
  descriptor: Record<string, unknown>,
  info: ReadonlyMap<string, string>,
): void {
  const file = ctx.member('datapackage.json');
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const pairs: [string, unknown, unknown][] = [
    ['bag directory / id', ctx.bag, bagNameOf(String(descriptor.id))],
    ['External-Identifier / id', info.get('External-Identifier'), descriptor.id],
    ['SES-Grant / ses:grant', info.get('SES-Grant'), descriptor['ses:grant']],
    ['Bag-Group-Identifier / SES-Grant', info.get('Bag-Group-Identifier'), info.get('SES-Grant')],
    ['SES-Recipient / ses:recipient', info.get('SES-Recipient'), descriptor['ses:recipient']],
  ];
  for (const [what, expected, found] of pairs) {
    if (expected === undefined || found === undefined || expected === found) continue;
    ctx.fail(6, 'PKG-156', { what, expected: text(expected), found: text(found) }, file);
  }
}

/** Step 6; `listed` holds the payload paths both manifests list. */
export function checkDescriptor(
  ctx: VerifyContext,
  info: ReadonlyMap<string, string>,
  listed: ReadonlySet<string>,
): DescriptorFacts {
  const descriptor = parse(ctx);
  if (!descriptor) return { rows: 0 };
  const facts: DescriptorFacts = { rows: 0 };
  for (const key of ['id', 'ses:grant', 'ses:recipient'] as const) {
    const value = descriptor[key];
    if (typeof value === 'string')
      facts[key === 'id' ? 'id' : key === 'ses:grant' ? 'grant' : 'recipient'] = value;
  }
  checkIdentity(ctx, descriptor, info);
  const resources = checkShape(ctx, descriptor);
  if (!resources) return facts;
  const described = new Set<string>();
  for (const resource of resources) {
    facts.rows += checkResource(ctx, resource, listed);
    for (const path of pathsOf(resource)) described.add(path as string);
  }
  for (const [path] of ctx.payload()) {
    if (!described.has(path)) ctx.fail(6, 'PKG-157', { file: ctx.member(path) }, ctx.member(path));
  }
  return facts;
}
