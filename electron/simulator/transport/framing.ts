// Cutting what the core sends back into messages: JSON lines end at '\n',
// CoT events on a stream end at '</event>'. Both are bounded — a peer that
// never sends the end gets its bytes dropped, not buffered forever.
import { TAK_MAGIC, takMessageToXml } from '../encode/takProtocol';

export class LineSplitter {
  private buffer = '';
  private discarding = false;
  /** Lines dropped for being longer than the limit. */
  oversized = 0;

  constructor(private readonly maxLength: number) {}

  push(chunk: string): string[] {
    const lines: string[] = [];
    let text = this.buffer + chunk;
    this.buffer = '';
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      const line = text.slice(0, newline).replace(/\r$/, '');
      text = text.slice(newline + 1);
      if (this.discarding) this.discarding = false;
      else if (line.length > this.maxLength) this.oversized += 1;
      else if (line.trim() !== '') lines.push(line);
      newline = text.indexOf('\n');
    }
    if (!this.discarding) {
      if (text.length > this.maxLength) {
        this.oversized += 1;
        this.discarding = true;
      } else {
        this.buffer = text;
      }
    }
    return lines;
  }
}

const END = '</event>';

export class CotSplitter {
  private buffer = '';
  /** Bytes dropped: junk before an event, or an event longer than the limit. */
  dropped = 0;

  constructor(private readonly maxLength: number) {}

  push(chunk: string): string[] {
    this.buffer += chunk;
    const events: string[] = [];
    for (;;) {
      const end = this.buffer.indexOf(END);
      if (end < 0) break;
      const event = this.buffer.slice(0, end + END.length);
      this.buffer = this.buffer.slice(end + END.length);
      const start = event.search(/<(\?xml|event)\b/);
      if (start < 0) {
        this.dropped += event.length;
        continue;
      }
      this.dropped += start;
      if (event.length - start > this.maxLength) this.dropped += event.length - start;
      else events.push(event.slice(start));
    }
    if (this.buffer.length > this.maxLength) {
      this.dropped += this.buffer.length;
      this.buffer = '';
    }
    return events;
  }
}

/**
 * What the core sends a TAK phone's stream: XML events, or TAK Protocol
 * frames (0xbf, a varint length, a TakMessage) once the phone spoke protobuf
 * — each handed on as the XML event it is. Bytes in, so a frame is never cut
 * by text decoding; bounded like the others.
 */
export class TakStreamSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly xml: CotSplitter;
  /** Bytes dropped: frames over the limit, or that do not decode. */
  dropped = 0;

  constructor(private readonly maxLength: number) {
    this.xml = new CotSplitter(maxLength);
  }

  push(chunk: Buffer): string[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const events: string[] = [];
    for (;;) {
      // Whitespace between events is nothing.
      let start = 0;
      while (start < this.buffer.length && (this.buffer[start] === 0x20 || this.buffer[start] === 0x0a || this.buffer[start] === 0x0d)) start += 1;
      this.buffer = this.buffer.subarray(start);
      if (this.buffer.length === 0) break;
      if (this.buffer[0] === TAK_MAGIC) {
        const header = frameHeader(this.buffer);
        if (header === 'incomplete') break;
        if (header === 'bad' || header.length > this.maxLength) {
          this.dropped += this.buffer.length;
          this.buffer = Buffer.alloc(0);
          break;
        }
        if (this.buffer.length < header.start + header.length) break;
        const message = this.buffer.subarray(header.start, header.start + header.length);
        this.buffer = this.buffer.subarray(header.start + header.length);
        try {
          events.push(takMessageToXml(message));
        } catch {
          this.dropped += message.length;
        }
        continue;
      }
      // XML: up to the end of the first event.
      const end = this.buffer.indexOf(END);
      if (end < 0) {
        if (this.buffer.length > this.maxLength) {
          this.dropped += this.buffer.length;
          this.buffer = Buffer.alloc(0);
        }
        break;
      }
      const text = this.buffer.subarray(0, end + END.length).toString('utf8');
      this.buffer = this.buffer.subarray(end + END.length);
      events.push(...this.xml.push(text));
    }
    return events;
  }
}

/** Where a stream frame's message starts and how long it is; 'incomplete' until its length has arrived. */
function frameHeader(buffer: Buffer): { start: number; length: number } | 'incomplete' | 'bad' {
  let length = 0;
  let scale = 1;
  for (let i = 1; i < Math.min(buffer.length, 11); i++) {
    const byte = buffer[i]!;
    length += (byte & 0x7f) * scale;
    if (byte < 0x80) return { start: i + 1, length };
    scale *= 0x80;
  }
  return buffer.length >= 11 ? 'bad' : 'incomplete';
}
