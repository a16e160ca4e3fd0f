// Cutting what the core sends back into messages: JSON lines end at '\n',
// CoT events on a stream end at '</event>'. Both are bounded — a peer that
// never sends the end gets its bytes dropped, not buffered forever.

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
