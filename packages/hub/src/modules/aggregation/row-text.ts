/**
 * A stored row's JSON text, `{ item name: trimmed value }` in the resource's item order, written
 * directly from the cells with each key's JSON prepared once: the same text as JSON.stringify of
 * the object (docs/data-api.md defines the digest on it), without an object a row.
 */
import type { SchemaColumn } from '@minjiang/standards';

export class RowText {
  private readonly prefixes: string[];

  /** `columns` in the resource's item order. */
  constructor(private readonly columns: readonly SchemaColumn[]) {
    this.prefixes = columns.map((column, i) => `${i === 0 ? '{' : ','}${JSON.stringify(column.item.name)}:`);
  }

  /** The row's JSON text and how many of its cells are filled. */
  text(values: readonly string[]): { text: string; filled: number } {
    let text = '';
    let filled = 0;
    for (let i = 0; i < this.columns.length; i += 1) {
      const value = (values[(this.columns[i] as SchemaColumn).index] ?? '').trim();
      if (value !== '') filled += 1;
      text += (this.prefixes[i] as string) + JSON.stringify(value);
    }
    return { text: this.columns.length === 0 ? '{}' : `${text}}`, filled };
  }
}
