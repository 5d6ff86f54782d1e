/**
 * A file's physical lines as bytes, each with its own line break (LF, CRLF or a lone CR, as the
 * CSV parser and readline count them), read in chunks. Splitting bytes is safe in UTF-8, GBK and
 * GB18030: CR and LF never occur inside a multi-byte character of any of them. Lines that are
 * copied through come out byte for byte as they went in.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const CR = 0x0d;
const LF = 0x0a;

export interface RawLine {
  /** The line with its break. */
  bytes: Buffer;
  /** The line break (empty for a last line without one). */
  ending: Buffer;
}

const NO_ENDING = Buffer.alloc(0);

/** The end of the line starting at `start` (after its break), or -1 when `chunk` does not say. */
function lineEnd(chunk: Buffer, start: number, final: boolean): number {
  const lf = chunk.indexOf(LF, start);
  const cr = chunk.indexOf(CR, start);
  if (cr !== -1 && (lf === -1 || cr < lf)) {
    if (cr + 1 < chunk.length) return chunk[cr + 1] === LF ? cr + 2 : cr + 1;
    return final ? cr + 1 : -1; // a CR at the end of a chunk may be the first half of CRLF
  }
  return lf === -1 ? -1 : lf + 1;
}

function rawLine(bytes: Buffer): RawLine {
  let breakAt = bytes.length;
  if (bytes[breakAt - 1] === LF) breakAt -= 1;
  if (bytes[breakAt - 1] === CR) breakAt -= 1;
  return { bytes, ending: breakAt === bytes.length ? NO_ENDING : bytes.subarray(breakAt) };
}

/** Reads the physical lines of a file in order. */
export class RawLineReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private rest: Buffer = Buffer.alloc(0);
  private ended = false;
  private queue: RawLine[] = [];
  private at = 0;
  /** The 1-based number of the line `next()` returns. */
  line = 1;

  constructor(path: string) {
    this.chunks = createReadStream(path, { highWaterMark: 1024 * 1024 })[
      Symbol.asyncIterator
    ]() as AsyncIterator<Buffer>;
  }

  /** The next line, or undefined at the end of the file. */
  async next(): Promise<RawLine | undefined> {
    while (this.at >= this.queue.length) {
      if (this.ended) return undefined;
      await this.fill();
    }
    this.line += 1;
    const line = this.queue[this.at] as RawLine;
    this.at += 1;
    return line;
  }

  /** Stops reading (the stream is released). */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }

  private async fill(): Promise<void> {
    const next = await this.chunks.next();
    this.ended = next.done === true;
    const chunk = this.ended ? this.rest : Buffer.concat([this.rest, next.value as Buffer]);
    const lines: RawLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const end = lineEnd(chunk, start, this.ended);
      if (end === -1) break;
      lines.push(rawLine(chunk.subarray(start, end)));
      start = end;
    }
    if (this.ended && start < chunk.length) lines.push(rawLine(chunk.subarray(start)));
    this.rest = this.ended ? Buffer.alloc(0) : Buffer.from(chunk.subarray(start));
    this.queue = lines;
    this.at = 0;
  }
}

/** Writes to a file through a buffer, so many small lines cost few system calls. */
export class BufferedFile {
  private parts: Buffer[] = [];
  private size = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<BufferedFile> {
    return new BufferedFile(await open(path, 'wx', 0o644));
  }

  async write(bytes: Buffer): Promise<void> {
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size >= 1024 * 1024) await this.flush();
  }

  /** Flushes, syncs to disk and closes. */
  async finish(): Promise<void> {
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.size === 0) return;
    const data = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    for (let offset = 0; offset < data.length;) {
      offset += (await this.handle.write(data, offset)).bytesWritten;
    }
  }
}
