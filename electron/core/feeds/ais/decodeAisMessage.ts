// Decodes one assembled AIS message (ITU-R M.1371-5) into its fields, in the
// units of the standard: degrees, knots, metres. Values are the transmitted
// ones — "not available" codes (lat 91, lon 181, speed 102.3, course 360,
// heading 511) are kept as sent, so a test can compare them with libais;
// deciding what may be drawn is aisToFeedMessages.ts's job.
import { BitReader, PayloadError } from './sixBitPayload';

export { PayloadError };

interface Common {
  repeat: number;
  mmsi: number;
}

export interface Dimensions {
  toBow: number;
  toStern: number;
  toPort: number;
  toStarboard: number;
}

/** Types 1, 2, 3: Class A position report. */
export interface PositionReportA extends Common {
  type: 1 | 2 | 3;
  status: number;
  /** Degrees per minute; null when not available (-128). ±720 is "turning faster than 5°/30 s". */
  turn: number | null;
  speed: number;
  accuracy: boolean;
  lon: number;
  lat: number;
  course: number;
  heading: number;
  second: number;
  maneuver: number;
  raim: boolean;
}

/** Type 4 (base station report) and 11 (UTC/date response). */
export interface BaseStationReport extends Common {
  type: 4 | 11;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  accuracy: boolean;
  lon: number;
  lat: number;
  epfd: number;
  raim: boolean;
}

/** Type 5: Class A static and voyage data (usually two sentences). */
export interface StaticVoyageData extends Common, Dimensions {
  type: 5;
  aisVersion: number;
  imo: number;
  callsign: string;
  shipname: string;
  shiptype: number;
  epfd: number;
  eta: { month: number; day: number; hour: number; minute: number };
  /** Metres. */
  draught: number;
  destination: string;
  /** Absent when the transmitter sent the short (420-bit) form. */
  dte?: boolean;
}

/** Type 18: Class B position report. */
export interface PositionReportB extends Common {
  type: 18;
  speed: number;
  accuracy: boolean;
  lon: number;
  lat: number;
  course: number;
  heading: number;
  second: number;
  cs: boolean;
  display: boolean;
  dsc: boolean;
  band: boolean;
  msg22: boolean;
  assigned: boolean;
  raim: boolean;
}

/** Type 19: Class B extended position report (with name, type and size). */
export interface ExtendedReportB extends Common, Dimensions {
  type: 19;
  speed: number;
  accuracy: boolean;
  lon: number;
  lat: number;
  course: number;
  heading: number;
  second: number;
  shipname: string;
  shiptype: number;
  epfd: number;
  raim: boolean;
  dte: boolean;
  assigned: boolean;
}

/** Type 21: aid-to-navigation report. */
export interface AidToNavigationReport extends Common, Dimensions {
  type: 21;
  aidType: number;
  /** The 20-character name; the extension (up to 14 more) follows in `nameExtension`. */
  name: string;
  nameExtension: string;
  accuracy: boolean;
  lon: number;
  lat: number;
  epfd: number;
  second: number;
  offPosition: boolean;
  regional: number;
  raim: boolean;
  virtualAid: boolean;
  assigned: boolean;
}

/** Type 24: Class B static data, part A (name) or part B (type, call sign, size). */
export type StaticDataReport =
  | (Common & { type: 24; partNum: 0; shipname: string })
  | (Common & {
      type: 24;
      partNum: 1;
      shiptype: number;
      vendorId: string;
      model: number;
      serial: number;
      callsign: string;
      /** Dimensions, except for an auxiliary craft (MMSI 98xxxxxxx), which gives its mother ship instead. */
      dimensions?: Dimensions;
      mothershipMmsi?: number;
    });

/** Type 27: long-range position report (satellite), coarse: 1/10 minute, whole knots and degrees. */
export interface LongRangeReport extends Common {
  type: 27;
  accuracy: boolean;
  raim: boolean;
  status: number;
  lon: number;
  lat: number;
  speed: number;
  course: number;
  /** The position is the current GNSS fix (the "position latency" bit is 0: under 5 s old); named and read as libais does. */
  gnss: boolean;
}

/** Any other type: recognised, logged, not drawn. */
export interface OtherMessage extends Common {
  type: number;
  other: true;
}

export type AisMessage =
  | PositionReportA
  | BaseStationReport
  | StaticVoyageData
  | PositionReportB
  | ExtendedReportB
  | AidToNavigationReport
  | StaticDataReport
  | LongRangeReport
  | OtherMessage;

/** Decodes the assembled payload. Throws PayloadError when it is too short or holds a bad character. */
export function decodeAisMessage(payload: string, fill: number): AisMessage {
  const bits = new BitReader(payload, fill);
  if (!bits.has(38)) throw new PayloadError(`message of ${bits.length} bits: too short to hold a type and an MMSI`);
  const type = bits.uint(0, 6);
  const common = { repeat: bits.uint(6, 2), mmsi: bits.uint(8, 30) };
  switch (type) {
    case 1:
    case 2:
    case 3:
      return {
        type,
        ...common,
        status: bits.uint(38, 4),
        turn: rateOfTurn(bits.int(42, 8)),
        speed: bits.uint(50, 10) / 10,
        accuracy: bits.bool(60),
        lon: bits.int(61, 28) / 600_000,
        lat: bits.int(89, 27) / 600_000,
        course: bits.uint(116, 12) / 10,
        heading: bits.uint(128, 9),
        second: bits.uint(137, 6),
        maneuver: bits.uint(143, 2),
        raim: bits.bool(148),
      };
    case 4:
    case 11:
      return {
        type,
        ...common,
        year: bits.uint(38, 14),
        month: bits.uint(52, 4),
        day: bits.uint(56, 5),
        hour: bits.uint(61, 5),
        minute: bits.uint(66, 6),
        second: bits.uint(72, 6),
        accuracy: bits.bool(78),
        lon: bits.int(79, 28) / 600_000,
        lat: bits.int(107, 27) / 600_000,
        epfd: bits.uint(134, 4),
        raim: bits.bool(148),
      };
    case 5:
      // Some transmitters send 420 bits (no DTE and spare): accepted, dte left out.
      if (!bits.has(420)) throw new PayloadError(`type 5 of ${bits.length} bits: needs 424 (420 tolerated)`);
      return {
        type,
        ...common,
        aisVersion: bits.uint(38, 2),
        imo: bits.uint(40, 30),
        callsign: bits.text(70, 42),
        shipname: bits.text(112, 120),
        shiptype: bits.uint(232, 8),
        ...dimensions(bits, 240),
        epfd: bits.uint(270, 4),
        eta: { month: bits.uint(274, 4), day: bits.uint(278, 5), hour: bits.uint(283, 5), minute: bits.uint(288, 6) },
        draught: bits.uint(294, 8) / 10,
        destination: bits.text(302, 120),
        ...(bits.has(423) ? { dte: bits.bool(422) } : {}),
      };
    case 18:
      return {
        type,
        ...common,
        speed: bits.uint(46, 10) / 10,
        accuracy: bits.bool(56),
        lon: bits.int(57, 28) / 600_000,
        lat: bits.int(85, 27) / 600_000,
        course: bits.uint(112, 12) / 10,
        heading: bits.uint(124, 9),
        second: bits.uint(133, 6),
        cs: bits.bool(141),
        display: bits.bool(142),
        dsc: bits.bool(143),
        band: bits.bool(144),
        msg22: bits.bool(145),
        assigned: bits.bool(146),
        raim: bits.bool(147),
      };
    case 19:
      return {
        type,
        ...common,
        speed: bits.uint(46, 10) / 10,
        accuracy: bits.bool(56),
        lon: bits.int(57, 28) / 600_000,
        lat: bits.int(85, 27) / 600_000,
        course: bits.uint(112, 12) / 10,
        heading: bits.uint(124, 9),
        second: bits.uint(133, 6),
        shipname: bits.text(143, 120),
        shiptype: bits.uint(263, 8),
        ...dimensions(bits, 271),
        epfd: bits.uint(301, 4),
        raim: bits.bool(305),
        dte: bits.bool(306),
        assigned: bits.bool(307),
      };
    case 21: {
      const extensionChars = Math.min(14, Math.floor((bits.length - 272) / 6));
      return {
        type,
        ...common,
        aidType: bits.uint(38, 5),
        name: bits.text(43, 120),
        nameExtension: extensionChars > 0 ? bits.text(272, extensionChars * 6) : '',
        accuracy: bits.bool(163),
        lon: bits.int(164, 28) / 600_000,
        lat: bits.int(192, 27) / 600_000,
        ...dimensions(bits, 219),
        epfd: bits.uint(249, 4),
        second: bits.uint(253, 6),
        offPosition: bits.bool(259),
        regional: bits.uint(260, 8),
        raim: bits.bool(268),
        virtualAid: bits.bool(269),
        assigned: bits.bool(270),
      };
    }
    case 24: {
      const partNum = bits.uint(38, 2);
      if (partNum === 0) return { type, ...common, partNum, shipname: bits.text(40, 120) };
      if (partNum !== 1) throw new PayloadError(`type 24 part number ${partNum}: only 0 (A) and 1 (B) exist`);
      const auxiliary = Math.floor(common.mmsi / 10_000_000) === 98;
      return {
        type,
        ...common,
        partNum,
        shiptype: bits.uint(40, 8),
        vendorId: bits.text(48, 18),
        model: bits.uint(66, 4),
        serial: bits.uint(70, 20),
        callsign: bits.text(90, 42),
        ...(auxiliary ? { mothershipMmsi: bits.uint(132, 30) } : { dimensions: dimensions(bits, 132) }),
      };
    }
    case 27:
      return {
        type,
        ...common,
        accuracy: bits.bool(38),
        raim: bits.bool(39),
        status: bits.uint(40, 4),
        lon: bits.int(44, 18) / 600,
        lat: bits.int(62, 17) / 600,
        speed: bits.uint(79, 6),
        course: bits.uint(85, 9),
        gnss: !bits.bool(94),
      };
    default:
      if (type < 1 || type > 27) throw new PayloadError(`message type ${type} does not exist (1–27)`);
      return { type, ...common, other: true };
  }
}

function dimensions(bits: BitReader, start: number): Dimensions {
  return { toBow: bits.uint(start, 9), toStern: bits.uint(start + 9, 9), toPort: bits.uint(start + 18, 6), toStarboard: bits.uint(start + 24, 6) };
}

/** ROT_AIS = 4.733 √(ROT_sensor): back to degrees per minute, with its sign. */
function rateOfTurn(raw: number): number | null {
  if (raw === -128) return null;
  const magnitude = (raw / 4.733) ** 2;
  return raw < 0 ? -magnitude : magnitude;
}
