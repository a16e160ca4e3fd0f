// Turns one line of the JSON feed into a normalised message, or a reason to
// quarantine it. Pure: the caller owns sockets, secrets and the site.
import { describeIssues } from '../../../../shared/contract';
import { jsonAuth } from '../auth';
import type { FeedMessage, FrameAuth, RejectReason } from '../feedMessage';
import { JSON_FEED_VERSION, JsonInbound, MAX_JSON_LINE_BYTES, plainTrackLine } from '../../../../shared/feeds/jsonLines';

export type JsonLineResult =
  | { ok: true; message: FeedMessage; auth?: FrameAuth }
  | { ok: true; hello: { sensor?: string; unit?: string; secret?: string } }
  | { ok: false; reason: RejectReason; detail: string };

export function parseJsonLine(line: string, receivedAt: number): JsonLineResult {
  if (Buffer.byteLength(line) > MAX_JSON_LINE_BYTES) return { ok: false, reason: 'oversized', detail: `line over ${MAX_JSON_LINE_BYTES} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: 'bad-json', detail: error instanceof Error ? error.message : 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'bad-schema', detail: 'a line must be one JSON object' };
  const version = (value as { v?: unknown }).v;
  if (version !== JSON_FEED_VERSION)
    return { ok: false, reason: 'wrong-version', detail: `schema version ${JSON.stringify(version)}; this core reads v${JSON_FEED_VERSION}` };
  let m = plainTrackLine(value as Record<string, unknown>) as JsonInbound | undefined;
  if (!m) {
    const parsed = JsonInbound.safeParse(value);
    if (!parsed.success) {
      const outOfRange = parsed.error.issues.some((issue) => issue.code === 'too_big' || issue.code === 'too_small');
      return { ok: false, reason: outOfRange ? 'out-of-range' : 'bad-schema', detail: describeIssues(parsed.error) };
    }
    m = parsed.data;
  }
  const time = m.time ? Date.parse(m.time) : receivedAt;
  // The signature covers the object as sent, before schema defaults.
  const auth = jsonAuth(value as Record<string, unknown>);
  const signed = auth ? { auth } : {};
  switch (m.type) {
    case 'hello':
      return { ok: true, hello: { sensor: m.sensor, unit: m.unit, secret: m.secret } };
    case 'heartbeat':
      return { ok: true, ...signed, message: { type: 'heartbeat', sensor: m.sensor, time } };
    case 'track':
      return {
        ok: true,
        ...signed,
        // Track numbers are the sensor's own: qualify them so two radars' "T42" stay two tracks.
        message: {
          type: 'track',
          sensor: m.sensor,
          track: `${m.sensor}:${m.track}`,
          lat: m.lat,
          lon: m.lon,
          course: m.course,
          speed: m.speed,
          cls: m.class,
          lost: m.lost,
          time,
          stale: m.stale ? Date.parse(m.stale) : undefined,
        },
      };
    case 'detection':
      return {
        ok: true,
        ...signed,
        message: {
          type: 'detection',
          sensor: m.sensor,
          detection: m.detection,
          kind: m.kind,
          lat: m.lat,
          lon: m.lon,
          confidence: m.confidence,
          count: m.count,
          time,
        },
      };
    case 'unit-position':
      return { ok: true, ...signed, message: { type: 'unit-position', unit: m.unit, lat: m.lat, lon: m.lon, heading: m.heading, speed: m.speed, time } };
    case 'unit-ack':
      return { ok: true, ...signed, message: { type: 'unit-ack', unit: m.unit, assignment: m.assignment, status: m.status, time } };
    case 'optronic':
      return {
        ok: true,
        ...signed,
        message: {
          type: 'optronic',
          sensor: m.sensor,
          report: m.report,
          kind: m.kind,
          observerLat: m.observer.lat,
          observerLon: m.observer.lon,
          bearing: m.bearing,
          range: m.range,
          confidence: m.confidence,
          time,
        },
      };
  }
}
