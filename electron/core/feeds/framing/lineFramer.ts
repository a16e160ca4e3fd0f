// Splits a byte stream into lines (NMEA over TCP, the JSON-lines feed).
// Pure and allocation-conscious: each pushed chunk is searched once, from
// where the previous search stopped; complete lines that lie inside one chunk
// are returned as views of it (no copy); only the unfinished tail of a chunk
// is copied and kept, and never more than `maxBytes` of it.
import type { OversizedFrame } from './frames';

const LF = 0x0a;
const CR = 0x0d;

export type LineFrame = Buffer | OversizedFrame;

export class LineFramer {
  /** Bytes dropped as parts of oversized lines, for the pipeline's counters. */
  discardedBytes = 0;
  private parts: Buffer[] = [];
  private pending = 0;
  /** Inside a line already reported as oversized: drop bytes up to its newline. */
  private discarding = false;

  constructor(readonly maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`maxBytes must be a positive integer, not ${maxBytes}`);
  }

  /**
   * Feeds one chunk; returns the lines it completes, without their `\n` or
   * `\r\n`. Empty lines are skipped. A line longer than `maxBytes` comes back
   * once as `{ oversized: true, bytes }` (its first `maxBytes` bytes) and the
   * framer picks up again after that line's newline. Returned buffers may be
   * views of `chunk`: a caller that reuses its chunk buffers must copy them.
   */
  push(chunk: Buffer): LineFrame[] {
    const out: LineFrame[] = [];
    const length = chunk.length;
    let start = 0;
    while (start < length) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        this.keep(chunk, start, length, out);
        break;
      }
      if (this.discarding) {
        this.discarding = false;
        this.discardedBytes += newline - start;
      } else {
        this.line(chunk, start, newline, out);
      }
      start = newline + 1;
    }
    return out;
  }

  /** The stream ended: returns the last line if it had no newline. */
  end(): LineFrame[] {
    const out: LineFrame[] = [];
    if (!this.discarding && this.pending > 0) this.line(Buffer.alloc(0), 0, 0, out);
    this.reset();
    return out;
  }

  /** Bytes held for an unfinished line. */
  get pendingBytes(): number {
    return this.pending;
  }

  private reset(): void {
    this.parts = [];
    this.pending = 0;
    this.discarding = false;
  }

  private line(chunk: Buffer, start: number, end: number, out: LineFrame[]): void {
    let frame: Buffer;
    if (this.pending === 0) {
      frame = chunk.subarray(start, end);
    } else {
      if (end > start) this.parts.push(chunk.subarray(start, end));
      frame = Buffer.concat(this.parts, this.pending + end - start);
      this.parts = [];
      this.pending = 0;
    }
    let length = frame.length;
    if (length > 0 && frame[length - 1] === CR) length--;
    if (length === 0) return;
    if (length > this.maxBytes) {
      out.push({ oversized: true, bytes: Buffer.from(frame.subarray(0, this.maxBytes)) });
      this.discardedBytes += length - this.maxBytes;
      return;
    }
    out.push(length === frame.length ? frame : frame.subarray(0, length));
  }

  private keep(chunk: Buffer, start: number, end: number, out: LineFrame[]): void {
    const count = end - start;
    if (this.discarding) {
      this.discardedBytes += count;
      return;
    }
    // One byte of slack: a line of exactly maxBytes may still be followed by its '\r'.
    if (this.pending + count > this.maxBytes + 1) {
      const head = Buffer.concat([...this.parts, chunk.subarray(start, end)], this.pending + count);
      out.push({ oversized: true, bytes: Buffer.from(head.subarray(0, this.maxBytes)) });
      this.discardedBytes += head.length - this.maxBytes;
      this.parts = [];
      this.pending = 0;
      this.discarding = true;
      return;
    }
    // Copy the tail: keeping a view would pin the whole (possibly 64 KiB) chunk.
    this.parts.push(Buffer.from(chunk.subarray(start, end)));
    this.pending += count;
  }
}
