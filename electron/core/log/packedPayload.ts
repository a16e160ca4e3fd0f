// Compact storage for the high-volume position events (`track.update`,
// `unit.position`, `ais.position`). Their canonical JSON is ~60–120 bytes, mostly names;
// packed they are ~15–30. The log stays lossless: an event is packed only when unpacking the
// bytes gives back exactly the canonical JSON text it would otherwise have
// stored (EventLog checks that on every append); anything else — an unknown
// key, a number with more precision than a field carries, a value out of
// range — is stored as canonical JSON as before. The bytes are what is
// stored and hashed (see hashChain.ts); docs/events.md describes the format.
//
// Layout: [layout id][presence varint: one bit per optional field, in field
// order][each present field, in field order]. Fields are listed in key order,
// so an unpacked object is already canonical. Field encodings:
// - deg: latitude/longitude, int32 little-endian of value × 1e7 (≈ 1 cm).
// - uint(scale): unsigned LEB128 varint of value × scale.
// - dt: a time in ms, zigzag LEB128 varint of (value − the row's time).
// - one: a flag whose only value is 1; presence says it all, no bytes.
// - str: a varint header h, then:
//     0  the source's id (the source name after its first ':'),
//     1  the source's id, ':', then a suffix (varint length, UTF-8 bytes),
//     2…15  the field's common value number h − 2,
//     16…  an inline string of h − 16 UTF-8 bytes.
// Layouts 3 and 4 (schema 7 on) add two string forms, for fields marked so:
// - implied: a field whose value is most often the source's id; its presence
//   bit says the value is written, and without it the value IS the source id
//   (no bytes). The field is still required in the payload.
// - numbered: header 2 is the source's id, ':', then a decimal number written
//   as a varint (a track number); common values then start at header 3 and
//   inline strings at 17.
// A layout id is below 0x20, a byte canonical JSON never contains, so packed
// and JSON rows can never be mistaken for one another. Layouts are part of
// the file format: never change one that has shipped (not even its list of
// common values), add a layout with a new id instead and keep reading the old.

type FieldType = { type: 'deg' } | { type: 'uint'; scale: number } | { type: 'dt' } | { type: 'one' } | { type: 'str'; common?: readonly string[] };
type FieldSpec = FieldType & { key: string; optional: boolean; implied?: boolean; numbered?: boolean };

const DEG = 0;
const UINT = 1;
const DT = 2;
const ONE = 3;
const STR = 4;
const CODES = { deg: DEG, uint: UINT, dt: DT, one: ONE, str: STR } as const;

/** One shape for every field, so the hot loops below stay monomorphic. */
interface Field {
  key: string;
  code: number;
  /** Presence bit; 0 for a required field. */
  bit: number;
  scale: number;
  common: readonly string[];
  /** Absent from the bytes (presence bit clear) when it equals the source's id. */
  implied: boolean;
  /** Header 2 is `<source id>:<decimal number>`; common values from 3, inline strings from 17. */
  numbered: boolean;
  commonBase: number;
  inlineBase: number;
}

interface Layout {
  id: number;
  kind: string;
  fields: readonly Field[];
}

const COMMON_LIMIT = 14;
const INLINE_BASE = 16;
const MAX_DT = 2 ** 51;
const DEG_SCALE = 1e7;

function layout(id: number, kind: string, specs: readonly FieldSpec[]): Layout {
  const keys = specs.map((spec) => spec.key);
  if (keys.some((key, i) => i > 0 && !(keys[i - 1]! < key))) throw new Error(`layout ${kind}: fields must be in key order`);
  // An integer-like key would be enumerated (and written by JSON.stringify) first, out of key order.
  if (keys.some((key) => /^(0|[1-9][0-9]*)$/.test(key))) throw new Error(`layout ${kind}: field names cannot be integer-like`);
  if (id <= 0 || id >= 0x20) throw new Error(`layout ${kind}: id must be 1–31`);
  let next = 1;
  const fields = specs.map((spec): Field => {
    const common = spec.type === 'str' ? (spec.common ?? []) : [];
    if (common.length > COMMON_LIMIT) throw new Error(`layout ${kind}: too many common values`);
    const implied = spec.implied === true;
    const numbered = spec.numbered === true;
    if ((implied || numbered) && spec.type !== 'str') throw new Error(`layout ${kind}: only strings are implied or numbered`);
    if (implied && spec.optional) throw new Error(`layout ${kind}: an implied field is required`);
    const bit = spec.optional || implied ? next : 0;
    if (spec.optional || implied) next *= 2;
    return {
      key: spec.key,
      code: CODES[spec.type],
      bit,
      scale: spec.type === 'uint' ? spec.scale : 1,
      common,
      implied,
      numbered,
      commonBase: numbered ? 3 : 2,
      inlineBase: numbered ? INLINE_BASE + 1 : INLINE_BASE,
    };
  });
  if (next > 2 ** 30) throw new Error(`layout ${kind}: at most 30 optional fields`);
  return { id, kind, fields };
}

const opt = true;
const req = false;

/** Every packed layout, by id. Appending is fine; changing a shipped one is not. */
const LAYOUTS: readonly Layout[] = [
  layout(1, 'track.update', [
    { key: 'at', type: 'dt', optional: opt },
    { key: 'cls', type: 'str', common: ['small-boat', 'vessel', 'unknown'], optional: req },
    { key: 'crs', type: 'uint', scale: 1, optional: opt },
    { key: 'lat', type: 'deg', optional: req },
    { key: 'lon', type: 'deg', optional: req },
    { key: 'lost', type: 'one', optional: opt },
    { key: 'off', type: 'one', optional: opt },
    { key: 's', type: 'str', optional: req },
    { key: 'sec', type: 'str', optional: opt },
    { key: 'spd', type: 'uint', scale: 10, optional: opt },
    { key: 'stl', type: 'dt', optional: opt },
    { key: 't', type: 'str', optional: req },
  ]),
  layout(2, 'unit.position', [
    { key: 'at', type: 'dt', optional: opt },
    { key: 'hdg', type: 'uint', scale: 1, optional: opt },
    { key: 'lat', type: 'deg', optional: req },
    { key: 'lon', type: 'deg', optional: req },
    { key: 'sec', type: 'str', optional: opt },
    { key: 'spd', type: 'uint', scale: 10, optional: opt },
    { key: 'u', type: 'str', optional: req },
  ]),
  // Schema 7: the sensor named by the source costs no byte, a numbered track two.
  layout(3, 'track.update', [
    { key: 'at', type: 'dt', optional: opt },
    { key: 'cls', type: 'str', common: ['small-boat', 'vessel', 'unknown'], optional: req },
    { key: 'crs', type: 'uint', scale: 1, optional: opt },
    { key: 'lat', type: 'deg', optional: req },
    { key: 'lon', type: 'deg', optional: req },
    { key: 'lost', type: 'one', optional: opt },
    { key: 'off', type: 'one', optional: opt },
    { key: 's', type: 'str', optional: req, implied: true },
    { key: 'sec', type: 'str', optional: opt },
    { key: 'spd', type: 'uint', scale: 10, optional: opt },
    { key: 'stl', type: 'dt', optional: opt },
    { key: 't', type: 'str', optional: req, numbered: true },
  ]),
  layout(4, 'unit.position', [
    { key: 'at', type: 'dt', optional: opt },
    { key: 'hdg', type: 'uint', scale: 1, optional: opt },
    { key: 'lat', type: 'deg', optional: req },
    { key: 'lon', type: 'deg', optional: req },
    { key: 'sec', type: 'str', optional: opt },
    { key: 'spd', type: 'uint', scale: 10, optional: opt },
    { key: 'u', type: 'str', optional: req, implied: true },
  ]),
  layout(5, 'ais.position', [
    { key: 'at', type: 'dt', optional: opt },
    { key: 'cog', type: 'uint', scale: 10, optional: opt },
    { key: 'hdg', type: 'uint', scale: 1, optional: opt },
    { key: 'lat', type: 'deg', optional: opt },
    { key: 'lon', type: 'deg', optional: opt },
    { key: 'm', type: 'uint', scale: 1, optional: req },
    { key: 'msg', type: 'uint', scale: 1, optional: req },
    { key: 'nav', type: 'uint', scale: 1, optional: opt },
    { key: 'off', type: 'one', optional: opt },
    { key: 'own', type: 'one', optional: opt },
    { key: 's', type: 'str', optional: req },
    { key: 'sec', type: 'str', optional: opt },
    { key: 'sog', type: 'uint', scale: 10, optional: opt },
  ]),
];

/** The layout each kind is packed with now: its newest (older ones are still read). */
const BY_KIND = new Map(LAYOUTS.map((entry) => [entry.kind, entry]));
const BY_ID = new Map(LAYOUTS.map((entry) => [entry.id, entry]));

export class PackedPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackedPayloadError';
  }
}

/** Whether events of this kind may be stored packed. */
export function hasPackedLayout(kind: string): boolean {
  return BY_KIND.has(kind);
}

/** The first byte every packed payload of this kind starts with (undefined: the kind is never packed). */
export function packedLayoutId(kind: string): number | undefined {
  return BY_KIND.get(kind)?.id;
}

/** The source's id: what follows the protocol in `<protocol>:<id>` (the whole name when there is no ':'). */
function sourceId(source: string): string {
  return source.slice(source.indexOf(':') + 1);
}

/** Packs into one reused scratch buffer (appends are synchronous); the result is copied out. */
let scratch = Buffer.allocUnsafe(1024);
let length = 0;

function room(bytes: number): void {
  if (length + bytes <= scratch.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, length + bytes));
  scratch.copy(bigger, 0, 0, length);
  scratch = bigger;
}

/** Unsigned LEB128; arithmetic rather than bit operations, so exact up to 2^53. */
function writeVarint(value: number): void {
  room(8);
  while (value >= 0x80) {
    scratch[length++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  scratch[length++] = value;
}

function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    bytes += 1;
  }
  return bytes;
}

/** A string as a varint header (its UTF-8 length plus `base`) and its bytes; false if UTF-8 cannot carry it exactly. */
function writeText(value: string, base: number): boolean {
  // Ids are ASCII: copying them by hand beats two calls into Buffer's native code.
  const chars = value.length;
  if (chars < 0x80 - base) {
    room(chars + 1);
    const start = length;
    scratch[start] = base + chars;
    let i = 0;
    for (; i < chars; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) break;
      scratch[start + 1 + i] = code;
    }
    if (i === chars) {
      length = start + 1 + chars;
      return true;
    }
  }
  // A lone surrogate would come back as U+FFFD; anything beyond the BMP is simply left to JSON.
  if (SURROGATE.test(value)) return false;
  const bytes = Buffer.byteLength(value);
  writeVarint(base + bytes);
  room(bytes);
  length += scratch.write(value, length);
  return true;
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** A decimal number as String(n) writes it: no sign, no leading zero, at most 16 digits. */
const CANONICAL_NUMBER = /^(0|[1-9][0-9]{0,15})$/;

/**
 * The packed bytes of a payload, or undefined when it does not fit its kind's
 * layout: a key the layout lacks, a required key missing, a value of the
 * wrong type, out of range, or with more precision than its field keeps, or a
 * string that is not well-formed UTF-16. Unpacking the bytes gives back the
 * same keys with the same values, in key order; EventLog still checks the
 * canonical text matches before it stores them.
 */
export function packPayload(kind: string, source: string, time: number, payload: unknown): Buffer | undefined {
  const entry = BY_KIND.get(kind);
  if (!entry || payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const record = payload as Record<string, unknown>;
  const fields = entry.fields;
  length = 0;
  room(2);
  scratch[length++] = entry.id;
  // The presence varint goes here; one byte is enough unless a layout has more than 7 optional fields.
  const presenceAt = length++;
  let presence = 0;
  let known = 0;
  let id: string | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const value = record[field.key];
    if (value === undefined) {
      if (field.bit === 0 || field.implied) return undefined;
      continue;
    }
    known += 1;
    if (field.implied && value === (id ??= sourceId(source))) continue;
    presence += field.bit;
    switch (field.code) {
      case DEG: {
        if (typeof value !== 'number') return undefined;
        const n = Math.round(value * DEG_SCALE);
        if (!(n >= -0x7fffffff && n <= 0x7fffffff) || n / DEG_SCALE !== value) return undefined;
        room(4);
        length = scratch.writeInt32LE(n, length);
        break;
      }
      case UINT: {
        if (typeof value !== 'number') return undefined;
        const n = Math.round(value * field.scale);
        if (!Number.isSafeInteger(n) || n < 0 || n / field.scale !== value) return undefined;
        writeVarint(n);
        break;
      }
      case DT: {
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) return undefined;
        const delta = value - time;
        if (!(Math.abs(delta) <= MAX_DT)) return undefined;
        writeVarint(delta >= 0 ? delta * 2 : -delta * 2 - 1);
        break;
      }
      case ONE:
        if (value !== 1) return undefined;
        break;
      default: {
        if (typeof value !== 'string') return undefined;
        const common = field.common.length > 0 ? field.common.indexOf(value) : -1;
        if (common >= 0) {
          writeVarint(field.commonBase + common);
          break;
        }
        id ??= sourceId(source);
        if (value === id) writeVarint(0);
        else if (value.length > id.length && value.charCodeAt(id.length) === 0x3a && value.startsWith(id)) {
          const suffix = value.slice(id.length + 1);
          const number = field.numbered && CANONICAL_NUMBER.test(suffix) ? Number(suffix) : -1;
          if (number >= 0 && Number.isSafeInteger(number)) {
            writeVarint(2);
            writeVarint(number);
          } else {
            writeVarint(1);
            if (!writeText(suffix, 0)) return undefined;
          }
        } else if (!writeText(value, field.inlineBase)) return undefined;
      }
    }
  }
  // Every own key with a value must be one of the layout's. (A layout key inherited from a prototype is
  // not caught here: JSON leaves it out, so EventLog's check of the unpacked text refuses it.)
  const keys = Object.keys(record);
  if (keys.length !== known) {
    let defined = 0;
    for (const key of keys) if (record[key] !== undefined) defined += 1;
    if (defined !== known) return undefined;
  }

  if (presence < 0x80) scratch[presenceAt] = presence;
  else {
    const extra = varintBytes(presence) - 1;
    room(extra);
    scratch.copyWithin(presenceAt + 1 + extra, presenceAt + 1, length);
    const end = length + extra;
    length = presenceAt;
    writeVarint(presence);
    length = end;
  }
  const out = Buffer.allocUnsafe(length);
  scratch.copy(out, 0, 0, length);
  return out;
}

// The reader's state: module-level like the writer's (unpacking is synchronous), which keeps it cheap.
let input: Buffer = Buffer.alloc(0);
let at = 0;

function need(count: number): void {
  if (at + count > input.length) throw new PackedPayloadError('packed payload ends too early');
}

function varint(): number {
  let value = 0;
  let factor = 1;
  for (let i = 0; i < 8; i++) {
    need(1);
    const byte = input[at++]!;
    value += (byte & 0x7f) * factor;
    if (byte < 0x80) return value;
    factor *= 0x80;
  }
  throw new PackedPayloadError('packed varint too long');
}

function string(count: number): string {
  need(count);
  const value = input.toString('utf8', at, at + count);
  at += count;
  return value;
}

/**
 * The payload a packed blob stands for, keys in canonical order. Throws
 * PackedPayloadError on bytes that are not a well-formed packed payload of
 * this kind (wrong layout, truncated, bytes left over, unknown bits).
 */
export function unpackPayload(kind: string, source: string, time: number, bytes: Buffer): Record<string, unknown> {
  input = bytes;
  at = 0;
  need(1);
  const entry = BY_ID.get(input[at++]!);
  if (!entry) throw new PackedPayloadError(`unknown packed layout ${bytes[0]!}`);
  if (entry.kind !== kind) throw new PackedPayloadError(`packed layout ${entry.id} is for ${entry.kind}, not ${kind}`);
  const presence = varint();
  const result: Record<string, unknown> = {};
  let own: string | undefined;
  let seen = 0;
  for (const field of entry.fields) {
    if (field.bit !== 0) {
      // Presence has at most 30 meaningful bits (checked by layout()); extra bits fail below.
      if ((presence & field.bit) === 0) {
        if (field.implied) result[field.key] = own ??= sourceId(source);
        continue;
      }
      seen += field.bit;
    }
    switch (field.code) {
      case DEG:
        need(4);
        result[field.key] = input.readInt32LE(at) / DEG_SCALE;
        at += 4;
        break;
      case UINT:
        result[field.key] = varint() / field.scale;
        break;
      case DT: {
        const zigzag = varint();
        result[field.key] = time + (zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2);
        break;
      }
      case ONE:
        result[field.key] = 1;
        break;
      default: {
        const header = varint();
        if (header === 0) result[field.key] = own ??= sourceId(source);
        else if (header === 1) result[field.key] = `${(own ??= sourceId(source))}:${string(varint())}`;
        else if (header === 2 && field.numbered) result[field.key] = `${(own ??= sourceId(source))}:${varint()}`;
        else if (header < field.inlineBase) {
          const common = field.common[header - field.commonBase];
          if (common === undefined) throw new PackedPayloadError(`no common value ${header - field.commonBase} for ${field.key}`);
          result[field.key] = common;
        } else result[field.key] = string(header - field.inlineBase);
      }
    }
  }
  if (seen !== presence) throw new PackedPayloadError('packed presence bits name fields the layout does not have');
  if (at !== input.length) throw new PackedPayloadError(`packed payload has ${input.length - at} bytes left over`);
  return result;
}
