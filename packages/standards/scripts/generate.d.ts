/** Type names of the generated types, by schema file. */
export declare const TYPE_NAMES: Record<string, string>;
/** Renders src/generated/types.ts from the schemas. */
export declare function renderTypes(): Promise<string>;
