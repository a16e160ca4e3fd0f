// TAK Protocol version 1, as an ATAK phone writes and reads it, for the
// simulator's field devices: a TakMessage holding one CotEvent, framed for a
// TCP stream (0xbf, the length as a varint, the message). Written by hand
// from the wire format of TAK's published .proto files (takmessage, cotevent,
// detail, contact, group, status, takv, track: field numbers and types), not
// from the core's decoder, so that a simulated night checks the core's
// reading against an independent writer — as encode/ais.ts does for AIS.
//
// Protobuf in brief: each field is a key (field number << 3 | wire type) as a
// varint, then the value: wire type 0 a varint, 1 eight little-endian bytes
// (a double), 2 a varint length and that many bytes (strings, messages).
import { cotEvent, xmlElement } from './cot';

/** The parts of a CoT event a TAK device fills in; `xmlDetail` is the rest of <detail>, as XML. */
export interface TakEvent {
  type: string;
  uid: string;
  /** ms since the epoch */
  time: number;
  stale: number;
  how: string;
  lat: number;
  lon: number;
  hae: number;
  ce: number;
  le: number;
  contact?: { endpoint?: string; callsign: string };
  group?: { name: string; role: string };
  status?: { battery: number };
  takv?: { device: string; platform: string; os: string; version: string };
  track?: { speed: number; course: number };
  xmlDetail?: string;
}

/** The same event as CoT XML: the typed parts as ATAK writes them in <detail>, then the rest. */
export function takEventXml(event: TakEvent): string {
  const detail: string[] = [];
  if (event.takv) detail.push(xmlElement('takv', { ...event.takv }));
  if (event.contact) detail.push(xmlElement('contact', { endpoint: event.contact.endpoint, callsign: event.contact.callsign }));
  if (event.group) detail.push(xmlElement('__group', { name: event.group.name, role: event.group.role }));
  if (event.status) detail.push(xmlElement('status', { battery: event.status.battery }));
  if (event.track) detail.push(xmlElement('track', { speed: event.track.speed, course: event.track.course }));
  if (event.xmlDetail) detail.push(event.xmlDetail);
  return cotEvent({
    uid: event.uid,
    type: event.type,
    time: event.time,
    staleSeconds: (event.stale - event.time) / 1000,
    how: event.how,
    point: { lat: event.lat, lon: event.lon, hae: event.hae, ce: event.ce, le: event.le },
    detail,
  });
}

/** The first byte of every TAK Protocol frame on a stream (and of a mesh datagram). */
export const TAK_MAGIC = 0xbf;

class Writer {
  private readonly parts: Buffer[] = [];

  varint(field: number, value: number): this {
    this.parts.push(varint((field << 3) | 0), varint(value));
    return this;
  }

  double(field: number, value: number): this {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    this.parts.push(varint((field << 3) | 1), bytes);
    return this;
  }

  bytes(field: number, value: Buffer): this {
    this.parts.push(varint((field << 3) | 2), varint(value.length), value);
    return this;
  }

  string(field: number, value: string | undefined): this {
    return value === undefined || value === '' ? this : this.bytes(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, inner: Writer | undefined): this {
    return inner ? this.bytes(field, inner.done()) : this;
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Unsigned LEB128; arithmetic, so exact for times in ms (above 2^32). */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** TakMessage { cotEvent = 2 } for one event. */
export function encodeTakMessage(event: TakEvent): Buffer {
  const detail = new Writer().string(1, event.xmlDetail);
  if (event.contact) detail.message(2, new Writer().string(1, event.contact.endpoint).string(2, event.contact.callsign));
  if (event.group) detail.message(3, new Writer().string(1, event.group.name).string(2, event.group.role));
  if (event.status) detail.message(5, new Writer().varint(1, event.status.battery));
  if (event.takv)
    detail.message(6, new Writer().string(1, event.takv.device).string(2, event.takv.platform).string(3, event.takv.os).string(4, event.takv.version));
  if (event.track) detail.message(7, new Writer().double(1, event.track.speed).double(2, event.track.course));
  const cot = new Writer()
    .string(1, event.type)
    .string(5, event.uid)
    .varint(6, event.time)
    .varint(7, event.time)
    .varint(8, event.stale)
    .string(9, event.how)
    .double(10, event.lat)
    .double(11, event.lon)
    .double(12, event.hae)
    .double(13, event.ce)
    .double(14, event.le)
    .message(15, detail);
  return new Writer().message(2, cot).done();
}

/** The streaming form: 0xbf, the message's length as a varint, the message. */
export function takStreamFrame(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from([TAK_MAGIC]), varint(message.length), message]);
}

export class TakDecodeError extends Error {
  override name = 'TakDecodeError';
}

class Reader {
  offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.buffer.length) throw new TakDecodeError('truncated varint');
      const byte = this.buffer[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    throw new TakDecodeError('varint longer than 10 bytes');
  }

  take(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new TakDecodeError('field runs past the message');
    const bytes = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }

  /** Every field as [number, value]: varints as numbers, doubles as numbers, length-delimited as bytes. */
  *fields(): Generator<[number, number | Buffer]> {
    while (!this.done) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      switch (key % 8) {
        case 0:
          yield [field, this.varint()];
          break;
        case 1:
          yield [field, this.take(8).readDoubleLE(0)];
          break;
        case 2:
          yield [field, this.take(this.varint())];
          break;
        case 5:
          yield [field, this.take(4).readFloatLE(0)];
          break;
        default:
          throw new TakDecodeError(`wire type ${key % 8} is not used by TAK messages`);
      }
    }
  }
}

const text = (value: number | Buffer) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
const num = (value: number | Buffer) => (typeof value === 'number' ? value : NaN);

/**
 * What a unit's phone needs of a TakMessage the core sent: the CoT event as
 * the XML it stands for (type, uid, point, and the detail — what Vigie puts
 * in a tasking or a chat travels in xmlDetail), to be read like an XML event.
 */
export function takMessageToXml(message: Buffer): string {
  let cot: Buffer | undefined;
  for (const [field, value] of new Reader(message).fields()) if (field === 2 && Buffer.isBuffer(value)) cot = value;
  if (!cot) throw new TakDecodeError('no CotEvent in the TakMessage');
  const event: Record<string, string> = {};
  let lat = NaN;
  let lon = NaN;
  let detail = '';
  for (const [field, value] of new Reader(cot).fields()) {
    if (field === 1) event.type = text(value);
    else if (field === 5) event.uid = text(value);
    else if (field === 9) event.how = text(value);
    else if (field === 6) event.time = new Date(num(value)).toISOString();
    else if (field === 8) event.stale = new Date(num(value)).toISOString();
    else if (field === 10) lat = num(value);
    else if (field === 11) lon = num(value);
    else if (field === 15 && Buffer.isBuffer(value)) for (const [inner, part] of new Reader(value).fields()) if (inner === 1) detail += text(part);
  }
  const attributes = Object.entries(event)
    .map(([name, value]) => ` ${name}="${value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}"`)
    .join('');
  return `<event version="2.0"${attributes}><point lat="${lat}" lon="${lon}"/><detail>${detail}</detail></event>`;
}
