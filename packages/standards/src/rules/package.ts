import type { PackageDescriptor } from '../generated/types.js';
import type { Finding } from '../messages/message.js';
import { type Rule } from './rule.js';

type Resource = PackageDescriptor['resources'][number];
type Field = Resource['schema']['fields'][number];

/** A resource's paths with their JSON Pointers. */
function pathsOf(resource: Resource, index: number): { path: string; location: string }[] {
  const { path } = resource as { path: unknown };
  if (typeof path === 'string') return [{ path, location: `/resources/${index}/path` }];
  if (!Array.isArray(path)) return [];
  return path.flatMap((part: unknown, j) =>
    typeof part === 'string' ? [{ path: part, location: `/resources/${index}/path/${j}` }] : [],
  );
}

function eachField(
  descriptor: PackageDescriptor,
  check: (field: Field, location: string, fields: Field[]) => Finding | false,
): Finding[] {
  return descriptor.resources.flatMap((resource, r) =>
    resource.schema.fields.flatMap((field, f) => {
      const finding = check(field, `/resources/${r}/schema/fields/${f}`, resource.schema.fields);
      return finding ? [finding] : [];
    }),
  );
}

/** Rules of a package descriptor (PKG-0xx). */
export const packageRules: Rule<PackageDescriptor>[] = [
  {
    code: 'PKG-001',
    description: 'Resource names are unique.',
    check: ({ resources }) => {
      const seen = new Set<string>();
      return resources.flatMap((resource, r) => {
        if (!seen.has(resource.name)) {
          seen.add(resource.name);
          return [];
        }
        return [
          {
            code: 'PKG-001',
            location: `/resources/${r}/name`,
            params: { found: resource.name },
            found: resource.name,
          },
        ];
      });
    },
  },
  {
    code: 'PKG-002',
    description: 'No path is used twice in the package.',
    check: ({ resources }) => {
      const seen = new Set<string>();
      return resources
        .flatMap((resource, r) => pathsOf(resource, r))
        .flatMap(({ path, location }) => {
          if (!seen.has(path)) {
            seen.add(path);
            return [];
          }
          return [{ code: 'PKG-002', location, params: { found: path }, found: path }];
        });
    },
  },
  {
    code: 'PKG-003',
    description: 'Payload paths lie under data/.',
    check: ({ resources }) =>
      resources
        .flatMap((resource, r) => pathsOf(resource, r))
        .filter(({ path }) => !path.startsWith('data/'))
        .map(({ path, location }) => ({ code: 'PKG-003', location, params: { found: path }, found: path })),
  },
  {
    code: 'PKG-004',
    description: 'primaryKey names fields of the resource.',
    check: ({ resources }) =>
      resources.flatMap((resource, r) => {
        const names = new Set(resource.schema.fields.map((field) => field.name));
        return (resource.schema.primaryKey ?? []).flatMap((key, k) =>
          names.has(key)
            ? []
            : [
                {
                  code: 'PKG-004',
                  location: `/resources/${r}/schema/primaryKey/${k}`,
                  params: { found: key },
                  found: key,
                },
              ],
        );
      }),
  },
  {
    code: 'PKG-005',
    description: 'Field names are unique within a resource.',
    check: (descriptor) =>
      eachField(descriptor, (field, location, fields) => {
        const first = fields.findIndex((other) => other.name === field.name);
        return (
          fields[first] !== field && {
            code: 'PKG-005',
            location: `${location}/name`,
            params: { found: field.name },
            found: field.name,
          }
        );
      }),
  },
  {
    code: 'PKG-006',
    description: 'Personal-information fields name their masking rule unless the profile is MP-NONE.',
    check: (descriptor) =>
      descriptor['ses:masking'] === 'MP-NONE'
        ? []
        : eachField(descriptor, (field, location) => {
            const pii = field['ses:pii'];
            return (
              pii !== undefined &&
              pii !== 'pseudonym' &&
              field['ses:masking'] === undefined && {
                code: 'PKG-006',
                location: `${location}/ses:masking`,
                params: { field: field.name, pii },
              }
            );
          }),
  },
];
