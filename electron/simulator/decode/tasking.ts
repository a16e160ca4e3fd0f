// What the core sends down a unit's connection, decoded defensively: it
// comes over the network, so anything malformed, oversized or addressed to
// someone else is reported as ignored with a reason, never thrown.
//   JSON feed: {"v":1,"type":"assignment",…} / {"type":"status",…} / {"type":"rejected",…}
//   CoT: a t-x-d tasking event, <detail><vigie assignment incident status kind sector/></detail>
import type { DetectionKind } from '../../../shared/domain';
import { JsonOutbound } from '../../../shared/feeds/jsonLines';
import { DetectionKind as DetectionKindSchema } from '../../../shared/domain';

export interface Assignment {
  assignment: string;
  incident?: string;
  kind?: DetectionKind;
  sector?: string;
  lat: number;
  lon: number;
}

export type Tasking =
  | { type: 'assign'; job: Assignment }
  /** The console stops the unit's job (CoT status cancelled or cleared; JSON status cleared/available/unavailable). */
  | { type: 'cancel'; assignment?: string }
  /** The core refused one of our lines (JSON feed only). */
  | { type: 'rejected'; reason: string; detail: string }
  | { type: 'ignored'; why: string };

/** Longest line / event accepted from the core. */
export const MAX_INBOUND_BYTES = 64 * 1024;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function decodeJsonTasking(line: string, unit: string): Tasking {
  if (line.length > MAX_INBOUND_BYTES) return { type: 'ignored', why: 'line too long' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { type: 'ignored', why: 'not JSON' };
  }
  const parsed = JsonOutbound.safeParse(value);
  if (!parsed.success) return { type: 'ignored', why: `not a v1 outbound message (${parsed.error.issues[0]?.message ?? 'invalid'})` };
  const message = parsed.data;
  switch (message.type) {
    case 'assignment':
      if (message.unit !== unit) return { type: 'ignored', why: `assignment for ${message.unit} on ${unit}'s connection` };
      return {
        type: 'assign',
        job: { assignment: message.assignment, incident: message.incident, kind: message.kind, sector: message.sector, lat: message.lat, lon: message.lon },
      };
    case 'status':
      if (message.unit !== unit) return { type: 'ignored', why: `status for ${message.unit} on ${unit}'s connection` };
      if (message.status === 'cleared' || message.status === 'available' || message.status === 'unavailable')
        return { type: 'cancel', assignment: message.assignment };
      return { type: 'ignored', why: `status ${message.status} needs no action` };
    case 'rejected':
      return { type: 'rejected', reason: message.reason, detail: message.detail };
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return safeCodePoint(parseInt(entity.slice(2), 16)) ?? whole;
    if (entity.startsWith('#')) return safeCodePoint(parseInt(entity.slice(1), 10)) ?? whole;
    return ENTITIES[entity] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function addressee(xml: string): string | undefined {
  for (const match of xml.matchAll(/<link(\s[^<>]*)\/?>/g)) {
    const link = xmlAttributes(match[0], 'link');
    if (link?.relation === 'p-p' && link.uid) return link.uid;
  }
  return xmlAttributes(xml, 'dest')?.uid;
}

/** Attributes of the first `<tag …>` in xml, or null when there is none. */
export function xmlAttributes(xml: string, tag: string): Record<string, string> | null {
  const open = new RegExp(`<${tag}(\\s[^<>]*)?/?>`).exec(xml);
  if (!open) return null;
  const attributes: Record<string, string> = {};
  const pattern = /([A-Za-z_][-\w.:]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
  for (const match of (open[1] ?? '').matchAll(pattern)) attributes[match[1]!] = unescapeXml(match[2] ?? match[3] ?? '');
  return attributes;
}

/** `uid` is the unit's own CoT uid: a tasking that names another recipient (<dest uid>) is not for it. */
export function decodeCotTasking(xml: string, uid?: string): Tasking {
  if (xml.length > MAX_INBOUND_BYTES) return { type: 'ignored', why: 'event too long' };
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { type: 'ignored', why: 'DTDs are not accepted' };
  const event = xmlAttributes(xml, 'event');
  if (!event) return { type: 'ignored', why: 'no <event>' };
  if (!event.type?.startsWith('t-x-d')) return { type: 'ignored', why: `event type ${event.type ?? '(none)'} is not a t-x-d tasking` };
  // Addressed by a p-p link (what Vigie's core writes) or a TAK <dest uid>.
  const recipient = addressee(xml);
  if (uid && recipient && recipient !== uid) return { type: 'ignored', why: `tasking for ${recipient}` };
  const vigie = xmlAttributes(xml, 'vigie');
  if (!vigie) return { type: 'ignored', why: 'tasking without <vigie> detail' };
  const assignment = vigie.assignment;
  if (!assignment || !ID.test(assignment)) return { type: 'ignored', why: 'tasking without a valid assignment id' };
  const status = vigie.status ?? 'assigned';
  if (status === 'cancelled' || status === 'cleared') return { type: 'cancel', assignment };
  if (status !== 'assigned') return { type: 'ignored', why: `tasking status ${status}` };
  const point = xmlAttributes(xml, 'point');
  const lat = Number(point?.lat);
  const lon = Number(point?.lon);
  if (!point || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return { type: 'ignored', why: 'tasking without a valid <point>' };
  const kind = DetectionKindSchema.safeParse(vigie.kind);
  const optionalId = (value: string | undefined) => (value && ID.test(value) ? value : undefined);
  return {
    type: 'assign',
    job: { assignment, incident: optionalId(vigie.incident), kind: kind.success ? kind.data : undefined, sector: optionalId(vigie.sector), lat, lon },
  };
}
