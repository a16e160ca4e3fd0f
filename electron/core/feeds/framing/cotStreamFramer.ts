// Splits a Cursor-on-Target "streaming TCP" connection into events.
//
// The stream is XML events back to back (`<event …>…</event>`), possibly with
// `<?xml …?>` declarations, comments and whitespace between them. The framer
// is lexical, not an XML parser: it finds `<event` (any namespace prefix:
// `<cot:event` closes with `</cot:event>`), the end of its start tag (so a
// self-closing `<event …/>` is one frame), then the matching end tag. Nested
// `<event` starts are impossible in CoT, so one is taken as proof that the
// current event was cut short: the fragment is handed on (the CoT parser
// rejects it as bad XML) and framing restarts at the new event.
//
// Anything else between events is skipped up to the next `<event` and
// counted in `skippedBytes`. An event longer than `maxBytes` is reported once
// as oversized and skipped up to the next `<event`. A frame that starts with
// 0xbf is TAK Protocol v1 (`0xbf <varint length> <protobuf>`): the message
// comes out as a `{ tak }` frame; one over `maxBytes` is reported oversized and
// skipped by its length (up to 16 MiB; a longer length is not believed, and
// the stream is scanned for the next XML event instead).
//
// Each chunk is searched once (native `indexOf` from where the last search
// stopped). Events lying inside one chunk are returned as views of it; only
// an event cut by a chunk boundary is copied, into one reused buffer that
// never holds more than about `maxBytes`.
import type { Frame } from './frames';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const DASH = 0x2d;
const QUOT = 0x22;
const APOS = 0x27;
const COLON = 0x3a;
const TAK_MAGIC = 0xbf;
/** A TAK frame longer than the cap but at most this long is skipped by its length; a longer length is not believed. */
const MAX_SKIPPED_TAK_BYTES = 16 * 1024 * 1024;

const SEEK = 0;
const EVENT = 1;
const SKIP = 2;

/** Longest element name the framer looks at when deciding whether a tag opens an event. */
const MAX_NAME = 64;
/** A declaration or comment between events longer than this is garbage. */
const MAX_MISC = 1024;
const EVENT_NAME = Buffer.from('event');
const PI_END = Buffer.from('?>');
const COMMENT_END = Buffer.from('-->');

const NEED_MORE = -1;
const NOT_EVENT = 0;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isNameByte(byte: number): boolean {
  return (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x3a) || byte === 0x2d || byte === 0x2e || byte === 0x5f;
}

/**
 * At a '<': the length of the qualified name when the tag opens an `event`
 * element (any prefix), NOT_EVENT, or NEED_MORE when the bytes end first.
 */
function matchEventStart(data: Buffer, at: number, end: number): number {
  let i = at + 1;
  let colon = -1;
  while (i < end && isNameByte(data[i]!)) {
    if (data[i] === COLON) colon = i;
    i++;
    if (i - at - 1 > MAX_NAME) return NOT_EVENT;
  }
  if (i === end) return NEED_MORE;
  const nameLength = i - at - 1;
  const delimiter = data[i]!;
  if (nameLength === 0 || !(isWhitespace(delimiter) || delimiter === GT || delimiter === SLASH)) return NOT_EVENT;
  const local = colon === -1 ? at + 1 : colon + 1;
  return i - local === 5 && sameBytes(data, local, EVENT_NAME, 5) ? nameLength : NOT_EVENT;
}

/** data[at, at + count) equals name[0, count) — a loop: Buffer#compare's native call costs more for a few bytes. */
function sameBytes(data: Buffer, at: number, name: Buffer, count: number): boolean {
  for (let k = 0; k < count; k++) if (data[at + k] !== name[k]) return false;
  return true;
}

/** Reads a protobuf varint (at most 5 bytes): [value, next index], NEED_MORE, or null when malformed. */
function readVarint(data: Buffer, at: number, end: number): [number, number] | typeof NEED_MORE | null {
  let value = 0;
  let scale = 1;
  for (let i = at; i < at + 5; i++) {
    if (i >= end) return NEED_MORE;
    const byte = data[i]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value, i + 1];
    scale *= 128;
  }
  return null;
}

export class CotStreamFramer {
  /** Bytes skipped between events (garbage, the rest of oversized events, protobuf payloads). */
  skippedBytes = 0;

  private acc: Buffer = Buffer.alloc(0);
  private accLength = 0;
  /** Whether the data being scanned is `acc` (frames must then be copied out). */
  private scanningAcc = false;
  /** When scanning `acc`: stop at the first clean point at or past this index. */
  private stopAt = Infinity;
  private stoppedEarly = false;

  private mode = SEEK;
  /** Right after a frame (or at the start): a 0xbf here is a TAK protobuf header. */
  private atBoundary = true;
  private skipRemaining = 0;
  // EVENT mode; offsets are relative to the event's first byte.
  private eventStart = 0;
  private closeName: Buffer = EVENT_NAME;
  private tagDone = false;
  private quote = 0;
  private tagOffset = 0;
  private contentOffset = 0;

  constructor(readonly maxBytes = 64 * 1024) {
    if (!Number.isInteger(maxBytes) || maxBytes < 16) throw new RangeError(`maxBytes must be an integer ≥ 16, not ${maxBytes}`);
  }

  /** Feeds one chunk; returns the frames it completes (see frames.ts). */
  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    if (chunk.length === 0) return out;
    const from = this.accLength > 0 ? this.feedCarry(chunk, out) : 0;
    if (from < chunk.length) {
      this.scanningAcc = false;
      this.stopAt = Infinity;
      const keep = this.run(chunk, from, out);
      if (keep < chunk.length) this.append(chunk, keep, chunk.length);
    }
    return out;
  }

  /** The connection closed: an unfinished event comes back as a (truncated) frame. */
  end(): Frame[] {
    const out: Frame[] = [];
    if (this.mode === EVENT && this.accLength > 0) out.push(Buffer.from(this.acc.subarray(0, this.accLength)));
    this.accLength = 0;
    this.mode = SEEK;
    this.atBoundary = true;
    this.skipRemaining = 0;
    return out;
  }

  /** Bytes held for an unfinished event. */
  get pendingBytes(): number {
    return this.accLength;
  }

  /**
   * Bytes are carried over from the previous chunk: append the new chunk to
   * them a piece at a time until what was carried is resolved, then hand back
   * the index in `chunk` where plain scanning of the chunk can resume.
   */
  private feedCarry(chunk: Buffer, out: Frame[]): number {
    let offset = 0;
    let base = this.accLength; // index in acc of chunk[0]
    while (offset < chunk.length) {
      const step = this.mode === EVENT ? this.maxBytes + 2 * MAX_NAME : MAX_MISC + 2 * MAX_NAME;
      const take = Math.min(chunk.length - offset, step);
      this.append(chunk, offset, offset + take);
      offset += take;
      this.scanningAcc = true;
      this.stopAt = base;
      this.stoppedEarly = false;
      const view = this.acc.subarray(0, this.accLength);
      const keep = this.run(view, 0, out);
      if (this.stoppedEarly || keep === view.length) {
        this.accLength = 0;
        return keep - base;
      }
      this.acc.copyWithin(0, keep, this.accLength);
      this.accLength -= keep;
      base -= keep;
    }
    return chunk.length;
  }

  private append(source: Buffer, start: number, end: number): void {
    const needed = this.accLength + end - start;
    if (needed > this.acc.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.acc.length * 2, 4096));
      this.acc.copy(grown, 0, 0, this.accLength);
      this.acc = grown;
    }
    source.copy(this.acc, this.accLength, start, end);
    this.accLength = needed;
  }

  private emit(data: Buffer, start: number, end: number, out: Frame[]): void {
    const view = data.subarray(start, end);
    out.push(this.scanningAcc ? Buffer.from(view) : view);
  }

  private oversized(data: Buffer, start: number, out: Frame[]): void {
    out.push({ oversized: true, bytes: Buffer.from(data.subarray(start, start + this.maxBytes)) });
  }

  /** Scans `data` from `pos`; returns the index from which bytes must be kept for the next chunk (`data.length` if none). */
  private run(data: Buffer, pos: number, out: Frame[]): number {
    const end = data.length;
    if (this.mode === EVENT) this.eventStart = pos;
    while (pos < end) {
      if (this.mode === SKIP) {
        if (pos >= this.stopAt) return this.stop(pos);
        const count = Math.min(this.skipRemaining, end - pos);
        pos += count;
        this.skipRemaining -= count;
        this.skippedBytes += count;
        if (this.skipRemaining === 0) {
          this.mode = SEEK;
          this.atBoundary = true;
        }
        continue;
      }
      if (this.mode === SEEK) {
        if (pos >= this.stopAt) return this.stop(pos);
        const byte = data[pos]!;
        if (isWhitespace(byte)) {
          pos++;
          continue;
        }
        if (byte === TAK_MAGIC && this.atBoundary) {
          const header = readVarint(data, pos + 1, end);
          if (header === NEED_MORE) return pos;
          if (header === null) {
            this.garbage(1);
            pos++;
            continue;
          }
          const [length, next] = header;
          if (length > this.maxBytes) {
            out.push({ oversized: true, bytes: Buffer.from(data.subarray(pos, Math.min(end, pos + 64))) });
            if (length <= MAX_SKIPPED_TAK_BYTES) {
              // A message too long to read (a 1 MB chat): skipped by its length, the stream stays in step.
              this.skippedBytes += next - pos;
              pos = next;
              this.skipRemaining = length;
              this.mode = SKIP;
              continue;
            }
            // A length no sender means (a corrupt or hostile header, up to 2^35): where the next frame starts is
            // unknown, so the stream is scanned as garbage up to the next XML event.
            this.garbage(next - pos);
            pos = next;
            continue;
          }
          // The whole message is needed: keep it for the next chunk (at most maxBytes are carried).
          if (next + length > end) return pos;
          out.push({ tak: this.scanningAcc ? Buffer.from(data.subarray(next, next + length)) : data.subarray(next, next + length) });
          pos = next + length;
          this.atBoundary = true;
          continue;
        }
        if (byte !== LT) {
          const lt = data.indexOf(LT, pos);
          const to = lt === -1 ? end : lt;
          this.garbage(to - pos);
          pos = to;
          continue;
        }
        if (pos + 1 >= end) return pos;
        const next = data[pos + 1]!;
        if (next === QUESTION || next === BANG) {
          // A declaration, processing instruction or comment between events.
          const isComment = next === BANG;
          if (isComment && pos + 4 > end) return pos;
          if (!isComment || (data[pos + 2] === DASH && data[pos + 3] === DASH)) {
            const close = data.indexOf(isComment ? COMMENT_END : PI_END, pos + 2);
            if (close !== -1 && close - pos <= MAX_MISC) {
              pos = close + (isComment ? 3 : 2);
              continue;
            }
            if (close === -1 && end - pos <= MAX_MISC) return pos;
          }
          this.garbage(1);
          pos++;
          continue;
        }
        const nameLength = matchEventStart(data, pos, end);
        if (nameLength === NEED_MORE) return pos;
        if (nameLength === NOT_EVENT) {
          this.garbage(1);
          pos++;
          continue;
        }
        this.mode = EVENT;
        this.eventStart = pos;
        this.closeName = nameLength === 5 ? EVENT_NAME : Buffer.from(data.subarray(pos + 1, pos + 1 + nameLength));
        this.tagDone = false;
        this.quote = 0;
        this.tagOffset = 1 + nameLength;
        this.contentOffset = 0;
        continue;
      }
      // EVENT
      const result = this.scanEvent(data, end, out);
      if (result < 0) return this.eventStart;
      pos = result;
    }
    return end;
  }

  private stop(pos: number): number {
    this.stoppedEarly = true;
    return pos;
  }

  private garbage(count: number): void {
    this.skippedBytes += count;
    this.atBoundary = false;
  }

  /** Goes on with the event that starts at `eventStart`: the index to resume seeking at, or -1 when more bytes are needed. */
  private scanEvent(data: Buffer, end: number, out: Frame[]): number {
    const start = this.eventStart;
    const limit = start + this.maxBytes;
    if (!this.tagDone) {
      let quote = this.quote;
      let i = start + this.tagOffset;
      for (; i < end; i++) {
        const byte = data[i]!;
        if (byte === LT) {
          // '<' cannot appear in a start tag, not even in a quoted value: the tag was cut short.
          return this.truncated(data, start, i, out);
        }
        if (quote !== 0) {
          if (byte === quote) quote = 0;
        } else if (byte === QUOT || byte === APOS) {
          quote = byte;
        } else if (byte === GT) {
          break;
        }
        if (i - start >= this.maxBytes) return this.tooLong(data, start, i, out);
      }
      if (i === end) {
        this.tagOffset = i - start;
        this.quote = quote;
        return -1;
      }
      if (data[i - 1] === SLASH) return this.complete(data, start, i + 1, out);
      this.tagDone = true;
      this.contentOffset = i + 1 - start;
    }
    let i = start + this.contentOffset;
    for (;;) {
      const lt = data.indexOf(LT, i);
      if (lt === -1) {
        if (end > limit) return this.tooLong(data, start, end, out);
        this.contentOffset = end - start;
        return -1;
      }
      if (lt > limit) return this.tooLong(data, start, lt, out);
      if (lt + 1 >= end) {
        this.contentOffset = lt - start;
        return -1;
      }
      if (data[lt + 1] === SLASH) {
        const name = this.closeName;
        const nameEnd = lt + 2 + name.length;
        if (nameEnd > end) {
          if (sameBytes(data, lt + 2, name, end - lt - 2)) {
            this.contentOffset = lt - start;
            return -1;
          }
          i = lt + 1;
          continue;
        }
        if (!sameBytes(data, lt + 2, name, name.length)) {
          i = lt + 1;
          continue;
        }
        let k = nameEnd;
        while (k < end && isWhitespace(data[k]!)) k++;
        if (k === end) {
          this.contentOffset = lt - start;
          return -1;
        }
        if (data[k] !== GT) {
          i = lt + 1;
          continue;
        }
        if (k + 1 - start > this.maxBytes) {
          this.oversized(data, start, out);
          this.mode = SEEK;
          this.atBoundary = false;
          this.skippedBytes += k + 1 - start;
          return k + 1;
        }
        return this.complete(data, start, k + 1, out);
      }
      const nested = matchEventStart(data, lt, end);
      if (nested === NEED_MORE) {
        this.contentOffset = lt - start;
        return -1;
      }
      if (nested !== NOT_EVENT) return this.truncated(data, start, lt, out);
      i = lt + 1;
    }
  }

  private complete(data: Buffer, start: number, end: number, out: Frame[]): number {
    this.emit(data, start, end, out);
    this.mode = SEEK;
    this.atBoundary = true;
    return end;
  }

  /** The event was cut short by a new tag start: hand the fragment on for the parser to reject, and seek from `at`. */
  private truncated(data: Buffer, start: number, at: number, out: Frame[]): number {
    if (at - start > this.maxBytes) this.oversized(data, start, out);
    else this.emit(data, start, at, out);
    this.mode = SEEK;
    this.atBoundary = false;
    return at;
  }

  /** The event passed maxBytes before it ended: report it once and skip to the next `<event` after `at`. */
  private tooLong(data: Buffer, start: number, at: number, out: Frame[]): number {
    this.oversized(data, start, out);
    this.skippedBytes += at - start;
    this.mode = SEEK;
    this.atBoundary = false;
    return at;
  }
}
