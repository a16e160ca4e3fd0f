// TAK Protocol version 1 (protobuf), which current ATAK sends by default:
// `0xbf 0x01 0xbf` + TakMessage in a mesh datagram, `0xbf <varint length>` +
// TakMessage on a stream. A decoded message becomes the CoT XML event it
// stands for and goes through the same parser and pipeline as XML
// (parseCotEvent), so both forms are read, checked and logged alike; replies
// to a device that spoke protobuf are encoded back (xmlToTak).
//
// The schema below restates the wire format of TAK's published takproto
// definitions (deptofdefense/AndroidTacticalAssaultKit-CIV, `takproto/*.proto`,
// package atakmap.commoncommo.protobuf.v1: takmessage, takcontrol, cotevent,
// detail, contact, group, precisionlocation, status, takv, track): message
// and field names, types and numbers only, as interoperability needs them —
// written for Vigie, not a copy of those files (which are GPL-3.0 with the
// rest of ATAK-CIV). See docs/tak.md.
import protobuf from 'protobufjs';
import { parseXml, writeXml, xmlEscape, type XmlElement, attribute, XmlError } from '../cot/xml';
import type { RejectReason } from '../feedMessage';

export const TAK_PROTO = `
syntax = "proto3";
package atakmap.commoncommo.protobuf.v1;

message TakMessage {
  TakControl takControl = 1;
  CotEvent cotEvent = 2;
}

message TakControl {
  uint32 minProtoVersion = 1;
  uint32 maxProtoVersion = 2;
  string contactUid = 3;
}

message CotEvent {
  string type = 1;
  string access = 2;
  string qos = 3;
  string opex = 4;
  string uid = 5;
  uint64 sendTime = 6;
  uint64 startTime = 7;
  uint64 staleTime = 8;
  string how = 9;
  double lat = 10;
  double lon = 11;
  double hae = 12;
  double ce = 13;
  double le = 14;
  Detail detail = 15;
}

message Detail {
  string xmlDetail = 1;
  Contact contact = 2;
  Group group = 3;
  PrecisionLocation precisionLocation = 4;
  Status status = 5;
  Takv takv = 6;
  Track track = 7;
}

message Contact {
  string endpoint = 1;
  string callsign = 2;
}

message Group {
  string name = 1;
  string role = 2;
}

message PrecisionLocation {
  string geopointsrc = 1;
  string altsrc = 2;
}

message Status {
  uint32 battery = 1;
}

message Takv {
  string device = 1;
  string platform = 2;
  string os = 3;
  string version = 4;
}

message Track {
  double speed = 1;
  double course = 2;
}
`;

/** The byte that starts every TAK Protocol v1 frame, and the mesh header's version. */
export const TAK_MAGIC = 0xbf;
export const TAK_MESH_VERSION = 1;

const root = protobuf.parse(TAK_PROTO, { keepCase: true }).root;
const TakMessage = root.lookupType('atakmap.commoncommo.protobuf.v1.TakMessage');

interface Decoded {
  cotEvent?: {
    type?: string;
    access?: string;
    qos?: string;
    opex?: string;
    uid?: string;
    sendTime?: number;
    startTime?: number;
    staleTime?: number;
    how?: string;
    lat?: number;
    lon?: number;
    hae?: number;
    ce?: number;
    le?: number;
    detail?: {
      xmlDetail?: string;
      contact?: { endpoint?: string; callsign?: string };
      group?: { name?: string; role?: string };
      precisionLocation?: { geopointsrc?: string; altsrc?: string };
      status?: { battery?: number };
      takv?: { device?: string; platform?: string; os?: string; version?: string };
      track?: { speed?: number; course?: number };
    };
  };
}

export type TakDecoded = { ok: true; xml: string } | { ok: false; reason: RejectReason; detail: string };

/** A mesh datagram (`0xbf 0x01 0xbf` + TakMessage): the TakMessage bytes, or why not. */
export function meshPayload(datagram: Buffer): { ok: true; payload: Buffer } | { ok: false; reason: RejectReason; detail: string } {
  if (datagram.length < 3 || datagram[0] !== TAK_MAGIC || datagram[2] !== TAK_MAGIC)
    return { ok: false, reason: 'bad-protobuf', detail: 'TAK mesh datagram without its 0xbf <version> 0xbf header' };
  if (datagram[1] !== TAK_MESH_VERSION)
    return { ok: false, reason: 'unsupported', detail: `TAK Protocol version ${datagram[1]} (this core reads version 1 and CoT XML)` };
  return { ok: true, payload: datagram.subarray(3) };
}

/** Decodes a TakMessage into the CoT XML event it carries. */
export function takToXml(payload: Buffer): TakDecoded {
  let decoded: Decoded;
  try {
    decoded = TakMessage.toObject(TakMessage.decode(payload), { longs: Number, defaults: false }) as Decoded;
  } catch (error) {
    return { ok: false, reason: 'bad-protobuf', detail: `not a TakMessage: ${error instanceof Error ? error.message : String(error)}` };
  }
  const e = decoded.cotEvent;
  if (!e) return { ok: false, reason: 'unsupported', detail: 'TakMessage without a CotEvent (TAK control only): nothing to read' };
  const time = (ms: number | undefined, name: string) => {
    if (ms === undefined || !Number.isFinite(ms) || ms <= 0 || ms > 8.64e15) throw new RangeError(`${name} ${ms ?? 'missing'} is not a time`);
    return new Date(ms).toISOString();
  };
  let times: [string, string, string];
  try {
    times = [time(e.sendTime, 'sendTime'), time(e.startTime, 'startTime'), time(e.staleTime, 'staleTime')];
  } catch (error) {
    return { ok: false, reason: 'bad-schema', detail: `CotEvent ${(error as Error).message}` };
  }
  const attr = (name: string, value: string | number | undefined) => (value === undefined ? '' : ` ${name}="${xmlEscape(String(value))}"`);
  let xml =
    `<event version="2.0"${attr('uid', e.uid)}${attr('type', e.type)}${attr('how', e.how)}${attr('access', e.access)}${attr('qos', e.qos)}${attr('opex', e.opex)}` +
    ` time="${times[0]}" start="${times[1]}" stale="${times[2]}">` +
    `<point lat="${e.lat ?? 0}" lon="${e.lon ?? 0}" hae="${e.hae ?? 9999999}" ce="${e.ce ?? 9999999}" le="${e.le ?? 9999999}"/><detail>`;
  const d = e.detail;
  if (d) {
    // The typed messages are XML elements of their own; xmlDetail holds the rest (checked by the XML parser like any event).
    if (d.contact) xml += `<contact${attr('endpoint', d.contact.endpoint)}${attr('callsign', d.contact.callsign)}/>`;
    if (d.group) xml += `<__group${attr('name', d.group.name)}${attr('role', d.group.role)}/>`;
    if (d.precisionLocation) xml += `<precisionlocation${attr('geopointsrc', d.precisionLocation.geopointsrc)}${attr('altsrc', d.precisionLocation.altsrc)}/>`;
    if (d.status) xml += `<status${attr('battery', d.status.battery)}/>`;
    if (d.takv) xml += `<takv${attr('device', d.takv.device)}${attr('platform', d.takv.platform)}${attr('os', d.takv.os)}${attr('version', d.takv.version)}/>`;
    if (d.track) xml += `<track${attr('speed', d.track.speed ?? 0)}${attr('course', d.track.course ?? 0)}/>`;
    if (d.xmlDetail) xml += d.xmlDetail;
  }
  return { ok: true, xml: `${xml}</detail></event>` };
}

const TYPED = new Set(['contact', '__group', 'precisionlocation', 'status', 'takv', 'track']);

/** Encodes a CoT XML event as a TakMessage (for replies to devices that speak protobuf, and for tests and the simulator). */
export function xmlToTak(xml: string): Buffer {
  let event: XmlElement;
  try {
    event = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlError) throw new RangeError(`not a CoT event: ${error.message}`);
    throw error;
  }
  const point = event.children.find((c) => c.local === 'point');
  const detail = event.children.find((c) => c.local === 'detail');
  const ms = (name: string) => Date.parse(attribute(event, name) ?? '');
  const number = (element: XmlElement | undefined, name: string, unknown: number) => {
    const text = element ? attribute(element, name) : undefined;
    return text === undefined || text === '' ? unknown : Number(text);
  };
  const typed: Record<string, unknown> = {};
  let rest = '';
  for (const element of detail?.children ?? []) {
    const seen = TYPED.has(element.local) && !(element.local in typed);
    if (!seen) {
      rest += writeXml(element);
      continue;
    }
    const attrs = Object.fromEntries(element.attributeNames.map((name, i) => [name, element.attributeValues[i]]));
    switch (element.local) {
      case 'contact':
        typed.contact = { endpoint: attrs.endpoint, callsign: attrs.callsign };
        break;
      case '__group':
        typed.group = { name: attrs.name, role: attrs.role };
        break;
      case 'precisionlocation':
        typed.precisionLocation = { geopointsrc: attrs.geopointsrc, altsrc: attrs.altsrc };
        break;
      case 'status':
        if (attrs.battery !== undefined && Object.keys(attrs).length === 1) typed.status = { battery: Number(attrs.battery) };
        else rest += writeXml(element);
        break;
      case 'takv':
        typed.takv = { device: attrs.device, platform: attrs.platform, os: attrs.os, version: attrs.version };
        break;
      case 'track':
        typed.track = { speed: Number(attrs.speed ?? 0), course: Number(attrs.course ?? 0) };
        break;
    }
  }
  const message = TakMessage.fromObject({
    cotEvent: {
      type: attribute(event, 'type'),
      uid: attribute(event, 'uid'),
      how: attribute(event, 'how'),
      sendTime: ms('time'),
      startTime: ms('start'),
      staleTime: ms('stale'),
      lat: number(point, 'lat', 0),
      lon: number(point, 'lon', 0),
      hae: number(point, 'hae', 9999999),
      ce: number(point, 'ce', 9999999),
      le: number(point, 'le', 9999999),
      detail: { ...typed, ...(rest ? { xmlDetail: rest } : {}) },
    },
  });
  return Buffer.from(TakMessage.encode(message).finish());
}

/** A TakMessage as a mesh datagram. */
export function meshFrame(payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([TAK_MAGIC, TAK_MESH_VERSION, TAK_MAGIC]), payload]);
}

/** A TakMessage as a stream frame: 0xbf, its length as a varint, the message. */
export function streamFrame(payload: Buffer): Buffer {
  const length: number[] = [];
  let n = payload.length;
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([TAK_MAGIC, ...length]), payload]);
}
