import type { FieldType } from './values.js';

/** An object of the catalog-resource schema: its fields and which of them are required. */
export interface ObjectSpec {
  shape: 'object';
  fields: Readonly<Record<string, FieldSpec>>;
  required: readonly string[];
}

/** A list of values, e.g. keywords. `minItems` as in the schema. */
export interface ListSpec {
  shape: 'list';
  element: FieldType;
  minItems: number;
}

/** A list of objects: the information items. */
export interface EachSpec {
  shape: 'each';
  element: ObjectSpec;
}

export type FieldSpec = FieldType | ObjectSpec | ListSpec | EachSpec;

const object = (fields: Record<string, FieldSpec>, required: string[] = []): ObjectSpec => ({
  shape: 'object',
  fields,
  required,
});
const list = (element: FieldType, minItems = 0): ListSpec => ({ shape: 'list', element, minItems });

const ITEM = object(
  {
    name: 'name',
    technicalName: 'technical',
    dataType: 'coded',
    length: 'integer',
    precision: 'integer',
    description: 'name',
    isKey: 'boolean',
    required: 'boolean',
    isTimestamp: 'boolean',
    sensitive: 'boolean',
    check: 'enum',
    codeTable: 'table-name',
    dataElement: 'name',
    shareType: 'coded',
    shareCondition: 'text',
    openType: 'coded',
  },
  ['name', 'dataType'],
);

/**
 * What each field of the catalog-resource schema (resource-1.0.json) holds. `name` stands for
 * the dictionary's `name` and `shortText` (one line, trimmed), `text` for `longText` and the
 * summary. A drift test compares the fields and required lists with the schema.
 */
export const RESOURCE_SPEC: ObjectSpec = object(
  {
    code: 'code',
    name: 'name',
    resourceClass: 'coded',
    subject: 'coded',
    provider: object({ name: 'name', uscc: 'code', regionCode: 'region' }, ['name', 'uscc']),
    subUnit: 'name',
    summary: 'text',
    keywords: list('name'),
    relatedMatters: list('name'),
    system: 'name',
    format: object({ category: 'coded', type: 'format-type', otherDescription: 'name' }, ['category']),
    items: { shape: 'each', element: ITEM },
    sharing: object(
      {
        type: 'coded',
        condition: 'text',
        legalBasis: 'text',
        methodCategory: 'coded',
        methodTypes: list('coded', 1),
      },
      ['type'],
    ),
    opening: object({ type: 'coded', condition: 'text' }, ['type']),
    updateCycle: 'coded',
    publishedAt: 'date',
    grading: object({ level: 'coded', classified: 'boolean' }, ['level']),
    scenario: 'coded',
    spatialScope: 'name',
    timeRange: object({ from: 'date', to: 'date' }),
    syncMode: 'enum',
    relatedResources: list('code'),
    statistics: object({
      storageGB: 'number',
      records: 'number',
      sharedStorageGB: 'number',
      sharedRecords: 'number',
      openStorageGB: 'number',
      openRecords: 'number',
    }),
  },
  [
    'code',
    'name',
    'resourceClass',
    'provider',
    'summary',
    'format',
    'sharing',
    'opening',
    'updateCycle',
    'publishedAt',
    'grading',
  ],
);
