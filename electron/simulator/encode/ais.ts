// AIS as a shore receiver forwards it: NMEA 0183 !AIVDM sentences carrying
// ITU-R M.1371 messages, six bits per character. Type 1 (Class A position),
// type 5 (static and voyage data, two sentences) and type 18 (Class B
// position). Written from the standard, independently of the core's decoder
// (electron/core/feeds/ais), so each checks the other.
import { nmeaChecksum } from './nmea';

const TEXT = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';
/** Payload characters per sentence: 60 keeps a first sentence within NMEA's 82 characters. */
const MAX_PAYLOAD_CHARS = 60;

class Bits {
  private readonly bits: number[] = [];

  uint(value: number, width: number): this {
    const v = Math.max(0, Math.min(2 ** width - 1, Math.round(value)));
    for (let i = width - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }

  int(value: number, width: number): this {
    const v = Math.round(value);
    return this.uint(v < 0 ? 2 ** width + v : v, width);
  }

  text(value: string, chars: number): this {
    const upper = value.toUpperCase().padEnd(chars, '@').slice(0, chars);
    for (const char of upper) {
      const index = TEXT.indexOf(char);
      this.uint(index < 0 ? 0 : index, 6);
    }
    return this;
  }

  /** The armoured payload and its fill bits. */
  armour(): { payload: string; fill: number } {
    const fill = (6 - (this.bits.length % 6)) % 6;
    for (let i = 0; i < fill; i++) this.bits.push(0);
    let payload = '';
    for (let i = 0; i < this.bits.length; i += 6) {
      let value = 0;
      for (let b = 0; b < 6; b++) value = value * 2 + this.bits[i + b]!;
      payload += String.fromCharCode(value < 40 ? value + 48 : value + 56);
    }
    return { payload, fill };
  }
}

export interface AisPosition {
  mmsi: number;
  lat: number;
  lon: number;
  /** Knots. */
  speed: number;
  /** Degrees true. */
  course: number;
  /** Degrees true; undefined = not available (511). */
  heading?: number;
  /** Navigational status 0–15 (0 under way using engine, 7 fishing, 15 undefined). */
  status?: number;
  /** UTC second of the fix. */
  second: number;
}

export interface AisStatic {
  mmsi: number;
  imo?: number;
  callsign: string;
  name: string;
  /** Ship and cargo type (60–69 passenger, 70–79 cargo, 80–89 tanker, 30 fishing). */
  shipType: number;
  toBow: number;
  toStern: number;
  toPort: number;
  toStarboard: number;
  /** ETA, UTC. */
  eta?: { month: number; day: number; hour: number; minute: number };
  draught: number;
  destination: string;
}

function position(bits: Bits, p: AisPosition): void {
  bits.int(p.lon * 600_000, 28).int(p.lat * 600_000, 27);
}

/** Type 1, Class A position report: one sentence. */
export function aisPositionReport(p: AisPosition, channel: 'A' | 'B' = 'A'): string[] {
  const bits = new Bits()
    .uint(1, 6)
    .uint(0, 2)
    .uint(p.mmsi, 30)
    .uint(p.status ?? 0, 4)
    .int(-128, 8)
    .uint(Math.min(1022, p.speed * 10), 10)
    .uint(0, 1);
  position(bits, p);
  bits
    .uint((p.course % 360) * 10, 12)
    .uint(p.heading === undefined ? 511 : Math.round(p.heading) % 360, 9)
    .uint(p.second, 6)
    .uint(0, 2)
    .uint(0, 3)
    .uint(0, 1)
    .uint(0, 19);
  return sentences(bits, channel, undefined);
}

/** Type 18, Class B position report (fishing boats and pleasure craft with a Class B transponder). */
export function aisClassBReport(p: AisPosition, channel: 'A' | 'B' = 'B'): string[] {
  const bits = new Bits()
    .uint(18, 6)
    .uint(0, 2)
    .uint(p.mmsi, 30)
    .uint(0, 8)
    .uint(Math.min(1022, p.speed * 10), 10)
    .uint(0, 1);
  position(bits, p);
  bits
    .uint((p.course % 360) * 10, 12)
    .uint(p.heading === undefined ? 511 : Math.round(p.heading) % 360, 9)
    .uint(p.second, 6)
    .uint(0, 2)
    .uint(1, 1)
    .uint(0, 1)
    .uint(1, 1)
    .uint(1, 1)
    .uint(1, 1)
    .uint(0, 1)
    .uint(0, 1)
    .uint(0, 20);
  return sentences(bits, channel, undefined);
}

/** Type 5, static and voyage data: 424 bits, two sentences sharing a sequential message id. */
export function aisStaticReport(s: AisStatic, sequence: number, channel: 'A' | 'B' = 'A'): string[] {
  const eta = s.eta ?? { month: 0, day: 0, hour: 24, minute: 60 };
  const bits = new Bits()
    .uint(5, 6)
    .uint(0, 2)
    .uint(s.mmsi, 30)
    .uint(0, 2)
    .uint(s.imo ?? 0, 30)
    .text(s.callsign, 7)
    .text(s.name, 20)
    .uint(s.shipType, 8)
    .uint(s.toBow, 9)
    .uint(s.toStern, 9)
    .uint(s.toPort, 6)
    .uint(s.toStarboard, 6)
    .uint(1, 4)
    .uint(eta.month, 4)
    .uint(eta.day, 5)
    .uint(eta.hour, 5)
    .uint(eta.minute, 6)
    .uint(s.draught * 10, 8)
    .text(s.destination, 20)
    .uint(0, 1)
    .uint(0, 1);
  return sentences(bits, channel, sequence % 10);
}

function sentences(bits: Bits, channel: string, sequence: number | undefined): string[] {
  const { payload, fill } = bits.armour();
  const parts: string[] = [];
  for (let i = 0; i < payload.length; i += MAX_PAYLOAD_CHARS) parts.push(payload.slice(i, i + MAX_PAYLOAD_CHARS));
  return parts.map((part, index) => {
    const last = index === parts.length - 1;
    const body = `AIVDM,${parts.length},${index + 1},${parts.length > 1 ? (sequence ?? 0) : ''},${channel},${part},${last ? fill : 0}`;
    return `!${body}*${nmeaChecksum(body)}\r\n`;
  });
}
