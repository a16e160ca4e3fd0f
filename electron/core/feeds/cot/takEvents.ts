// What ATAK, WinTAK and iTAK devices send besides unit positions: their own
// self-reports before a supervisor registered them, points of any affiliation
// and spot markers placed by users, deletions, and GeoChat. parseCotEvent has
// checked the envelope (uid, type, times, point) and calls these with it. The
// table is in docs/tak.md.
import { MAX_CHAT_CHARACTERS, MAX_LABEL, MAX_REMARKS, type EmergencyKind, type FeedMessage } from '../feedMessage';
import { cotId } from './cotId';
import { Reject } from './cotReject';
import { attribute, child, writeXml, type XmlElement } from './xml';

/** The envelope parseCotEvent has already validated. */
export interface CotEnvelope {
  uid: string;
  type: string;
  lat: number;
  lon: number;
  time: number;
  stale: number;
  detail: XmlElement | undefined;
  /** `<track>` read and checked (knots). */
  motion: { course?: number; speed?: number };
}

/** Detail elements each mapping reads; everything else is kept as `extra`. */
const DEVICE_READS = new Set(['contact', '__group', 'status', 'takv', 'track']);
const POINT_READS = new Set(['contact', 'link', 'color', 'remarks']);
const CHAT_READS = new Set(['__chat', 'link', 'remarks']);

/** `p-p` (parent/producer) links: who placed or sent the event. */
export function parentLink(detail: XmlElement | undefined): XmlElement | undefined {
  if (!detail) return undefined;
  for (const element of detail.children) if (element.local === 'link' && attribute(element, 'relation') === 'p-p' && attribute(element, 'uid')) return element;
  return undefined;
}

/**
 * A device reporting itself (ATAK's self position, "PLI"), as opposed to a
 * point a user placed: it says which app it is (`takv`), or it has no parent
 * link. Placed points always carry the placing device's `p-p` link.
 */
export function isSelfReport(detail: XmlElement | undefined): boolean {
  if (detail && child(detail, 'takv')) return true;
  return parentLink(detail) === undefined;
}

export function deviceReport(e: CotEnvelope): FeedMessage {
  const { detail } = e;
  const contact = detail && child(detail, 'contact');
  const group = detail && child(detail, '__group');
  const status = detail && child(detail, 'status');
  const takv = detail && child(detail, 'takv');
  const message: FeedMessage = {
    type: 'device-report',
    device: cotId(e.uid),
    uid: e.uid,
    cotType: e.type,
    lat: e.lat,
    lon: e.lon,
    time: e.time,
    stale: e.stale,
  };
  if (e.motion.course !== undefined) message.course = e.motion.course;
  if (e.motion.speed !== undefined) message.speed = e.motion.speed;
  setLabel(message, 'callsign', contact, 'callsign');
  setLabel(message, 'team', group, 'name');
  setLabel(message, 'role', group, 'role');
  setLabel(message, 'platform', takv, 'platform');
  setLabel(message, 'model', takv, 'device');
  setLabel(message, 'os', takv, 'os');
  setLabel(message, 'version', takv, 'version');
  const battery = status ? attribute(status, 'battery') : undefined;
  if (battery !== undefined && battery !== '') {
    const percent = Number(battery);
    // Some devices report a battery over 100 while charging: read as full rather than refuse the position.
    if (!Number.isFinite(percent) || percent < 0) throw new Reject('bad-schema', `<status battery="${battery}"> is not a percentage`);
    message.battery = Math.min(100, Math.round(percent));
  }
  const extra = unreadDetail(detail, DEVICE_READS);
  if (extra) message.extra = extra;
  return message;
}

/** A point placed by a user (any affiliation and dimension) or a spot marker. */
export function fieldPoint(e: CotEnvelope, category: 'atom' | 'marker'): FeedMessage {
  const { detail } = e;
  const contact = detail && child(detail, 'contact');
  const link = parentLink(detail);
  const message: FeedMessage = {
    type: 'field-point',
    point: cotId(e.uid),
    uid: e.uid,
    cotType: e.type,
    category,
    lat: e.lat,
    lon: e.lon,
    time: e.time,
    stale: e.stale,
  };
  setLabel(message, 'callsign', contact, 'callsign');
  if (link) {
    message.device = cotId(attribute(link, 'uid')!);
    setLabel(message, 'placedBy', link, 'parent_callsign');
  }
  const colour = detail && child(detail, 'color');
  const argb = colour ? attribute(colour, 'argb') : undefined;
  if (argb !== undefined && argb !== '') {
    const value = Number(argb);
    if (!Number.isInteger(value) || value < -2147483648 || value > 4294967295) throw new Reject('bad-schema', `<color argb="${argb}"> is not a 32-bit colour`);
    message.colour = value;
  }
  const remarks = detail && child(detail, 'remarks');
  if (remarks && remarks.text.trim() !== '') {
    if (remarks.text.length > MAX_REMARKS) throw new Reject('oversized', `<remarks> of ${remarks.text.length} characters (at most ${MAX_REMARKS})`);
    message.remarks = remarks.text.trim();
  }
  const extra = unreadDetail(detail, POINT_READS);
  if (extra) message.extra = extra;
  return message;
}

const EMERGENCY_TYPES: Record<string, EmergencyKind> = {
  'b-a-o-tbl': '911',
  'b-a-o-pan': 'ring-the-bell',
  'b-a-o-opn': 'troops-in-contact',
  'b-a-g': 'geofence-breach',
  'b-a-o-can': 'cancel',
};

/** The emergency a `b-a-…` type is, if it is one Vigie reads. */
export function emergencyKind(type: string): EmergencyKind | undefined {
  return Object.hasOwn(EMERGENCY_TYPES, type) ? EMERGENCY_TYPES[type] : undefined;
}

/**
 * An ATAK emergency: `b-a-o-tbl` (911), `b-a-o-pan` (ring the bell),
 * `b-a-o-opn` (troops in contact), `b-a-g` (geofence breach), or its cancel
 * `b-a-o-can`. The device in distress is the `p-p` link (ATAK names the event
 * `<device uid>-9-1-1`); `unit` is filled by the caller when the device is one.
 */
export function emergency(e: CotEnvelope, kind: EmergencyKind, unitOf: (uid: string) => string | undefined): FeedMessage {
  const link = parentLink(e.detail);
  const device = (link && attribute(link, 'uid')) || e.uid.replace(/-9-1-1$/, '');
  if (device.length > 256) throw new Reject('bad-schema', 'emergency device uid is longer than 256 characters');
  const contact = e.detail && child(e.detail, 'contact');
  const message: FeedMessage = { type: 'emergency', device: cotId(device), uid: device, emergency: cotId(e.uid), kind, lat: e.lat, lon: e.lon, time: e.time };
  // ATAK names the alert "<callsign>-Alert"; the callsign itself is the <emergency> text.
  const named = e.detail && child(e.detail, 'emergency');
  const callsign = named?.text.trim() || (contact && attribute(contact, 'callsign')) || undefined;
  if (callsign !== undefined) {
    if (callsign.length > MAX_LABEL) throw new Reject('bad-schema', `emergency callsign is longer than ${MAX_LABEL} characters`);
    message.callsign = callsign;
  }
  const unit = unitOf(device);
  if (unit !== undefined) message.unit = unit;
  return message;
}

/** `t-x-d-d`: a device deletes a point or marker; the deleted uid is in its link. */
export function fieldDelete(e: CotEnvelope): FeedMessage {
  const link = e.detail ? child(e.detail, 'link') : undefined;
  const target = link ? attribute(link, 'uid') : undefined;
  if (!target) throw new Reject('bad-schema', `${e.type} has no <link uid> naming what it deletes`);
  if (target.length > 256) throw new Reject('bad-schema', 'deleted uid is longer than 256 characters');
  // The event uid is the deleting device's own in ATAK (`<uid>.delete` in some versions): read the device up to the first '.'.
  const dot = e.uid.indexOf('.');
  return { type: 'field-delete', point: cotId(target), uid: target, device: cotId(dot > 0 ? e.uid.slice(0, dot) : e.uid), time: e.time };
}

/**
 * GeoChat (`b-t-f`): `__chat` names the room and sender, `chatgrp uid0` is the
 * sender's uid, `remarks` the text. Real messages may carry no remarks at all
 * (an empty message) — kept, as ATAK shows it.
 */
export function chatMessage(e: CotEnvelope): FeedMessage {
  const { detail } = e;
  const chat = detail && child(detail, '__chat');
  if (!chat) throw new Reject('bad-schema', 'GeoChat (b-t-f) without <__chat>');
  const group = child(chat, 'chatgrp');
  const link = parentLink(detail);
  const sender = (group && attribute(group, 'uid0')) || (link && attribute(link, 'uid')) || senderFromUid(e.uid);
  if (!sender) throw new Reject('bad-schema', 'GeoChat without a sender (chatgrp uid0 or p-p link)');
  if (sender.length > 256) throw new Reject('bad-schema', 'GeoChat sender uid is longer than 256 characters');
  const callsign = attribute(chat, 'senderCallsign') ?? '';
  if (callsign.length > MAX_LABEL) throw new Reject('bad-schema', `senderCallsign is longer than ${MAX_LABEL} characters`);
  const room = attribute(chat, 'chatroom') ?? '';
  const roomId = attribute(chat, 'id') ?? room;
  if (room.length > 256 || roomId.length > 256) throw new Reject('bad-schema', 'GeoChat room name or id is longer than 256 characters');
  const remarks = detail && child(detail, 'remarks');
  const text = remarks?.text ?? '';
  if (text.length > MAX_CHAT_CHARACTERS) throw new Reject('oversized', `chat message of ${text.length} characters (at most ${MAX_CHAT_CHARACTERS})`);
  const messageId = attribute(chat, 'messageId') || e.uid.split('.').at(-1) || e.uid;
  const message: FeedMessage = {
    type: 'chat',
    message: cotId(messageId),
    device: cotId(sender),
    uid: sender,
    callsign,
    room,
    roomId,
    text,
    time: e.time,
  };
  const to = remarks ? attribute(remarks, 'to') : undefined;
  // A direct message names its addressee; a room message names the room again.
  if (to && to !== roomId && to !== room) {
    if (to.length > 256) throw new Reject('bad-schema', 'GeoChat addressee uid is longer than 256 characters');
    message.to = to;
  }
  const extra = unreadDetail(detail, CHAT_READS);
  if (extra) message.extra = extra;
  return message;
}

/**
 * A GeoChat receipt (`b-t-f-d` delivered, `b-t-f-r` read): ATAK names the
 * event after the message it acknowledges and repeats the room in
 * `__chatreceipt` (some clients send `__chat`), with its `messageId`; the
 * device acknowledging is its p-p link (else `chatgrp uid0`).
 */
export function chatReceipt(e: CotEnvelope, state: 'delivered' | 'read'): FeedMessage {
  const { detail } = e;
  const chat = detail && (child(detail, '__chatreceipt') ?? child(detail, '__chat'));
  const group = chat && child(chat, 'chatgrp');
  const link = parentLink(detail);
  const sender = (link && attribute(link, 'uid')) || (group && attribute(group, 'uid0'));
  if (!sender) throw new Reject('bad-schema', `GeoChat receipt (${e.type}) without a sender (p-p link or chatgrp uid0)`);
  if (sender.length > 256) throw new Reject('bad-schema', 'GeoChat receipt sender uid is longer than 256 characters');
  const messageId = (chat && attribute(chat, 'messageId')) || e.uid;
  if (messageId.length > 256) throw new Reject('bad-schema', 'GeoChat receipt message id is longer than 256 characters');
  return { type: 'chat-receipt', message: cotId(messageId), device: cotId(sender), uid: sender, state, time: e.time };
}

/** `GeoChat.<sender uid>.<room>.<message id>`: the sender when nothing else names it. */
function senderFromUid(uid: string): string | undefined {
  const parts = uid.split('.');
  return parts.length >= 4 && parts[0] === 'GeoChat' ? parts[1] : undefined;
}

function setLabel<K extends string>(message: Partial<Record<K, unknown>>, key: K, element: XmlElement | undefined, name: string): void {
  const value = element ? attribute(element, name) : undefined;
  if (value === undefined || value === '') return;
  if (value.length > MAX_LABEL) throw new Reject('bad-schema', `<${element!.local} ${name}> is longer than ${MAX_LABEL} characters`);
  message[key] = value;
}

/** The detail children a mapping does not read, written back as XML (nothing a device sends is thrown away). */
export function unreadDetail(detail: XmlElement | undefined, read: ReadonlySet<string>): string | undefined {
  if (!detail) return undefined;
  let out = '';
  for (const element of detail.children) if (!read.has(element.local)) out += writeXml(element);
  return out === '' ? undefined : out;
}
