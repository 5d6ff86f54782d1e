import type { CatalogFile } from './catalog-file.js';

/** The file formats a catalog can be kept in. */
export type CatalogFormat = 'json' | 'yaml' | 'yaml-dir' | 'csv' | 'xlsx-minjiang' | 'xlsx-national';

/**
 * Where a value of a catalog came from, so a finding can point at the cell a data officer must
 * edit: a spreadsheet cell (sheet, 1-based row, column letter and header) or a text file line.
 */
export interface SourceLocation {
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
  header?: string;
  line?: number;
}

/**
 * Something a reader noticed about the layout of a file (an unknown column, a value it had to
 * ignore) that does not stop the read: reported as a warning next to the validation findings.
 */
export interface CatalogReadWarning {
  /** Stable code, e.g. `TAB-UNKNOWN-COLUMN`. */
  code: string;
  message: string;
  location: SourceLocation;
}

/**
 * A catalog read from files, with the way back from a JSON Pointer into the catalog
 * (`/resources/3/items/2/dataType`) to the place in the file that holds it.
 */
export interface LoadedCatalog extends CatalogFile {
  format: CatalogFormat;
  /** The file or folder read. */
  path: string;
  /** The text encoding of a CSV file, as detected or given. */
  encoding?: string;
  /** What the reader noticed but did not refuse, such as columns it does not know. */
  warnings?: CatalogReadWarning[];
  /** The most precise place known for a pointer: the cell, else its row, else the file. */
  locate(pointer: string): SourceLocation;
}

/** Options of the catalog readers. */
export interface ReadCatalogOptions {
  /** Overrides detection by extension and content. */
  format?: CatalogFormat;
  /** For CSV: `utf-8`, `gbk` or `gb18030`; detected when absent. */
  encoding?: string;
}
