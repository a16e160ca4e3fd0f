// Turns a decoded AIS message into Vigie's feed messages, or a reason to
// quarantine it. Here "not available" codes become absent fields (so they
// are never drawn), and a message that cannot be true is refused:
// MMSI 0 (no station), or a latitude/longitude outside the Earth that is not
// the standard "not available" value (91° / 181°) — corrupt bits that passed
// the checksum. Speeds, courses and headings out of their range are only
// "not available": they do not make the position wrong.
import type { FeedMessage, Parsed } from '../feedMessage';
import type { AisMessage, Dimensions } from './decodeAisMessage';

export function aisToFeedMessages(message: AisMessage, sensor: string, time: number, own: boolean): Parsed {
  if (message.mmsi === 0) return { ok: false, reason: 'out-of-range', detail: `type ${message.type} from MMSI 0: not a station identity` };
  const base = { sensor, mmsi: message.mmsi, msg: message.type, time };
  if ('other' in message) return { ok: true, messages: [{ type: 'ais-other', ...base }] };
  switch (message.type) {
    case 1:
    case 2:
    case 3:
    case 18:
    case 19:
    case 27: {
      const position = positionOf(message.lat, message.lon, message.type === 27 ? 'tenth-minute' : 'ten-thousandth-minute');
      if ('refused' in position) return { ok: false, reason: 'out-of-range', detail: `type ${message.type} from ${message.mmsi}: ${position.refused}` };
      const isLongRange = message.type === 27;
      const report: FeedMessage = {
        type: 'ais-position',
        ...base,
        ...(own ? { own: true } : {}),
        ...position,
        course: below(message.course, 360),
        speed: isLongRange ? below(message.speed, 63) : below(message.speed, 102.3),
        heading: 'heading' in message ? below(message.heading, 360) : undefined,
        nav: 'status' in message ? message.status : undefined,
      };
      const messages: FeedMessage[] = [dropUndefined(report)];
      if (message.type === 19)
        messages.push(dropUndefined({ type: 'ais-static', ...base, name: text(message.shipname), shipType: shipType(message.shiptype), ...dims(message) }));
      return { ok: true, messages };
    }
    case 5:
      return {
        ok: true,
        messages: [
          dropUndefined({
            type: 'ais-static',
            ...base,
            name: text(message.shipname),
            callsign: text(message.callsign),
            imo: message.imo > 0 ? message.imo : undefined,
            shipType: shipType(message.shiptype),
            ...dims(message),
            destination: text(message.destination),
            eta: eta(message.eta),
            draught: message.draught > 0 ? message.draught : undefined,
          }),
        ],
      };
    case 24:
      return {
        ok: true,
        messages: [
          message.partNum === 0
            ? dropUndefined({ type: 'ais-static', ...base, name: text(message.shipname) })
            : dropUndefined({
                type: 'ais-static',
                ...base,
                callsign: text(message.callsign),
                shipType: shipType(message.shiptype),
                ...(message.dimensions ? dims(message.dimensions) : {}),
              }),
        ],
      };
    case 4:
    case 11:
    case 21: {
      const position = positionOf(message.lat, message.lon, 'ten-thousandth-minute');
      if ('refused' in position) return { ok: false, reason: 'out-of-range', detail: `type ${message.type} from ${message.mmsi}: ${position.refused}` };
      const aton = message.type === 21 ? { name: text(message.name + message.nameExtension), aid: message.aidType, virtual: message.virtualAid } : {};
      return { ok: true, messages: [dropUndefined({ type: 'ais-station', ...base, ...aton, ...position })] };
    }
  }
}

/** Lat/lon when available; nothing when the sender says "not available"; a refusal when they cannot be true. */
function positionOf(lat: number, lon: number, resolution: 'tenth-minute' | 'ten-thousandth-minute'): { lat?: number; lon?: number } | { refused: string } {
  if (lat === 91 || lon === 181) return {};
  if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180))
    return { refused: `latitude ${lat} / longitude ${lon} is off the Earth and not the "not available" value 91 / 181` };
  // Rounded to what the message can carry (1/10,000 minute ≈ 0.2 m; 1/10 minute for type 27): no false precision in the log.
  const digits = resolution === 'tenth-minute' ? 4 : 6;
  return { lat: round(lat, digits), lon: round(lon, digits) };
}

function below(value: number, notAvailable: number): number | undefined {
  return value >= 0 && value < notAvailable ? value : undefined;
}

function text(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function shipType(value: number): number | undefined {
  return value > 0 ? value : undefined;
}

function dims(d: Dimensions): Partial<Dimensions> {
  const positive = (value: number) => (value > 0 ? value : undefined);
  return { toBow: positive(d.toBow), toStern: positive(d.toStern), toPort: positive(d.toPort), toStarboard: positive(d.toStarboard) };
}

/** ETA as `MM-DDTHH:MM`, or nothing when any part is "not available" (month 0, day 0, hour 24, minute 60) or impossible. */
function eta(value: { month: number; day: number; hour: number; minute: number }): string | undefined {
  const { month, day, hour, minute } = value;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(month)}-${two(day)}T${two(hour)}:${two(minute)}`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The same object without its undefined members (copied, not deleted: `delete` makes every later access slow). */
function dropUndefined<T extends object>(value: T): T {
  const out = {} as Record<string, unknown>;
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}
