import { canonicalValues, schemaId } from '@minjiang/standards';
import { CATALOG_STATUSES, hashSchema } from './schemas.js';

/** JSON Schemas of the catalog's read routes. */

const version = { type: 'integer', minimum: 1 } as const;
const status = { type: 'string', enum: CATALOG_STATUSES } as const;
const hash = hashSchema;

export const resourceViewSchema = {
  type: 'object',
  required: [
    'code',
    'orgId',
    'version',
    'status',
    'contentHash',
    'etag',
    'createdAt',
    'updatedAt',
    'document',
  ],
  properties: {
    code: { type: 'string' },
    orgId: { type: 'string' },
    version,
    status,
    contentHash: hash,
    etag: { type: 'string' },
    latestVersion: version,
    publishedVersion: version,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    statusAt: { type: 'string' },
    reason: { type: 'string' },
    document: { $ref: schemaId('catalog-resource') },
  },
} as const;

const actor = {
  type: 'object',
  required: ['tokenId', 'orgId'],
  properties: { tokenId: { type: 'string' }, orgId: { type: ['string', 'null'] } },
} as const;

export const historySchema = {
  type: 'object',
  required: ['code', 'orgId', 'items'],
  properties: {
    code: { type: 'string' },
    orgId: { type: 'string' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'status', 'contentHash', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'],
        properties: {
          version,
          status,
          contentHash: hash,
          createdAt: { type: 'string' },
          createdBy: actor,
          updatedAt: { type: 'string' },
          updatedBy: actor,
          statusAt: { type: 'string' },
          statusBy: actor,
          reason: { type: 'string' },
        },
      },
    },
  },
} as const;

export const versionQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { version },
} as const;

/** A filter value of a code table: its label or its code (normalised by the handler). */
const codeFilter = (table: string) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength: 16,
    description: `One of ${canonicalValues(table).join(' / ')}, or its code`,
  }) as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    org: { type: 'string', maxLength: 64 },
    status,
    shareType: codeFilter('share-type'),
    openType: codeFilter('open-type'),
    grading: codeFilter('grading-level'),
    updateCycle: codeFilter('update-cycle'),
    q: { type: 'string', minLength: 1, maxLength: 100, description: 'Keywords; every one must match' },
    cursor: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    document: { type: 'boolean', default: false, description: 'Include each entry document' },
  },
} as const;

export const listAnswerSchema = {
  type: 'object',
  required: ['items', 'next'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'orgId', 'name', 'version', 'status', 'contentHash', 'etag', 'updatedAt'],
        properties: {
          code: { type: 'string' },
          orgId: { type: 'string' },
          name: { type: 'string' },
          version,
          status,
          contentHash: hash,
          etag: { type: 'string' },
          shareType: { type: 'string' },
          openType: { type: 'string' },
          grading: { type: 'string' },
          updateCycle: { type: 'string' },
          updatedAt: { type: 'string' },
          document: { $ref: schemaId('catalog-resource') },
        },
      },
    },
    next: { type: ['string', 'null'], description: 'Cursor of the next page; null on the last' },
  },
} as const;
