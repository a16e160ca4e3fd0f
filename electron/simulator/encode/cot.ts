// Cursor-on-Target XML events, written by hand: one <event> with its <point>
// and a <detail> of open content. Every attribute value and text is escaped,
// so ids, callsigns and remarks from a scenario cannot break the XML.

export interface CotPoint {
  lat: number;
  lon: number;
  /** Height above the WGS-84 ellipsoid, metres. */
  hae?: number;
  /** Circular and linear error, metres (9999999 = unknown). */
  ce?: number;
  le?: number;
}

export interface CotEventInput {
  uid: string;
  type: string;
  /** When the event was made, ms since the epoch; also its `start`. */
  time: number;
  /** How long it stays valid, seconds. */
  staleSeconds: number;
  how: string;
  point: CotPoint;
  /** Child elements of <detail>, already built with `xmlElement`. */
  detail?: string[];
}

export const COT_UNKNOWN_ERROR = 9_999_999;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML attribute value or element content; drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

export type XmlAttributes = Record<string, string | number | undefined>;

/** `<name a="…" …/>`, or with children `<name …>children</name>`; undefined attributes are left out. */
export function xmlElement(name: string, attributes: XmlAttributes, children?: string): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(typeof value === 'number' ? formatNumber(value) : value)}"`)
    .join('');
  return children === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${children}</${name}>`;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e7) / 1e7);
}

/** ISO-8601 UTC with milliseconds, as CoT writes time. */
export function cotTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function cotEvent(input: CotEventInput): string {
  const time = cotTime(input.time);
  const point = xmlElement('point', {
    lat: round(input.point.lat, 7),
    lon: round(input.point.lon, 7),
    hae: round(input.point.hae ?? 0, 1),
    ce: round(input.point.ce ?? COT_UNKNOWN_ERROR, 1),
    le: round(input.point.le ?? COT_UNKNOWN_ERROR, 1),
  });
  const detail = xmlElement('detail', {}, (input.detail ?? []).join(''));
  return xmlElement(
    'event',
    { version: '2.0', uid: input.uid, type: input.type, time, start: time, stale: cotTime(input.time + input.staleSeconds * 1000), how: input.how },
    point + detail,
  );
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
