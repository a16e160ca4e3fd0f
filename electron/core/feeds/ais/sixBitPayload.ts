// AIS payloads are bit strings "armoured" into NMEA characters six bits at a
// time (ITU-R M.1371 §3.3, IEC 61162-1). This reads them: unsigned and two's
// complement integers and six-bit text, at any bit offset.

/** The 6-bit text alphabet of ITU-R M.1371 Table 47 (values 0–63). */
const SIX_BIT_TEXT = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';

/** Whether a character is a valid armoured payload character ('0'–'W', '`'–'w'). */
function armourValue(code: number): number {
  if (code >= 48 && code <= 87) return code - 48;
  if (code >= 96 && code <= 119) return code - 56;
  return -1;
}

export class PayloadError extends Error {}

export class BitReader {
  /** The six-bit value of each payload character; bits are read from them on demand. */
  private readonly values: Uint8Array;
  readonly length: number;

  /** `fill` bits at the end of the last character are padding, not data. */
  constructor(payload: string, fill: number) {
    const values = new Uint8Array(payload.length);
    for (let i = 0; i < payload.length; i++) {
      const value = armourValue(payload.charCodeAt(i));
      if (value < 0) throw new PayloadError(`character ${JSON.stringify(payload[i])} at ${i + 1} is not an AIS payload character`);
      values[i] = value;
    }
    this.values = values;
    this.length = Math.max(0, payload.length * 6 - fill);
  }

  uint(start: number, width: number): number {
    if (start + width > this.length) throw new PayloadError(`message too short: needs bit ${start + width}, has ${this.length}`);
    let value = 0;
    // Arithmetic rather than bit operations: a field is up to 30 bits and must stay unsigned.
    for (let i = start; i < start + width; i++) value = value * 2 + ((this.values[(i / 6) | 0]! >> (5 - (i % 6))) & 1);
    return value;
  }

  int(start: number, width: number): number {
    const value = this.uint(start, width);
    return value >= 2 ** (width - 1) ? value - 2 ** width : value;
  }

  bool(start: number): boolean {
    return this.uint(start, 1) === 1;
  }

  /** Six-bit text, trailing '@' (padding) and spaces removed; an '@' inside is kept, so nothing is lost. */
  text(start: number, width: number): string {
    let out = '';
    for (let i = start; i + 6 <= start + width; i += 6) out += SIX_BIT_TEXT[this.uint(i, 6)]!;
    return out.replace(/[@ ]+$/, '');
  }

  has(bits: number): boolean {
    return this.length >= bits;
  }
}
