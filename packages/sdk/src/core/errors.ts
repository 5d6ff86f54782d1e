/** Base of every error the SDK throws; the CLI maps these to messages and exit codes. */
export class MinjiangError extends Error {
  /** Stable code, e.g. `FILE-PARSE`. */
  readonly code: string;
  /** Where: a file path, with `:line:column` or a JSON Pointer when known. */
  readonly location: string | undefined;
  /** How to fix it. */
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { location?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
  }
}

/** A local file could not be read as what it claims to be (catalog, data file, …). */
export class FileFormatError extends MinjiangError {}
