// The feed pipeline after the sockets: rate limit → parse → validate →
// check the sender is a known, authorised sensor or unit → queue (the log
// writer's) → assign a sector and derive alerts, when the writer cuts the
// message's block → log (group commit, storage stall and recovery:
// log/logWriter.ts) → projections → consoles. Rejected input goes to the
// quarantine with its raw bytes; nothing is dropped silently, nothing throws
// back into a socket handler.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { FeedProtocol } from '../../../shared/domain';
import { destinationPoint, distanceMeters } from '../../../shared/sphere';
import type { SectorIndex } from '../geo/sectorIndex';
import { logEvent, type EventPayloads, type LogEvent } from '../log/eventCatalogue';
import type { LogWriter, QueuedWork } from '../log/logWriter';
import type { LivePicture } from '../picture/livePicture';
import { SEVERITY } from '../picture/severity';
import type { Site } from '../../../shared/site';
import { FeedAuthenticator } from './auth';
import { FusionEngine, type FusionChange } from '../fusion/fusionEngine';
import type { VesselPicture } from '../picture/vesselPicture';
import { DEFAULT_COASTAL_BAND_NM } from '../../../shared/site';
import type { FeedMessage, FrameAuth, Parsed, RejectReason } from './feedMessage';
import { checkMessages, type ParsedFrame } from './parseWorker/frameParsing';
import { FeedStats } from './feedStats';
import type { Quarantine } from './quarantine';
import { RateLimiter } from './rateLimiter';

export type Transport = 'udp' | 'tcp' | 'ws';

/** A unit whose fix comes this close to its incident is on scene. */
export const ON_SCENE_RADIUS_METERS = 200;

/** Where a frame came from. `key` identifies the source for limits and counters. */
export interface Origin {
  protocol: FeedProtocol;
  transport: Transport;
  key: string;
  /** The sensor or unit this connection proved it is (JSON `hello` with the right secret). */
  bound?: { sensor?: string; unit?: string };
}

export interface ReceiveResult {
  /** Why messages of this frame were refused (they are in the quarantine). */
  refused?: { reason: RejectReason; detail: string }[];
  /** Unit ids whose messages arrived on this origin (so the outbound side can reach them). */
  units?: string[];
  /** Field devices that spoke on this origin (GeoChat goes back to them the same way). */
  devices?: string[];
}

/**
 * Messages a console must show at once (they raise alerts, report an
 * emergency, carry a chat or a unit's answer): the writer cuts them ahead of
 * other sources' queued track fixes (log/logWriter.ts).
 */
const URGENT_TYPES: ReadonlySet<FeedMessage['type']> = new Set(['detection', 'optronic', 'emergency', 'chat', 'chat-receipt', 'unit-ack']);

/** An accepted message in the writer's queue: derived into its events when its block is cut. */
class QueuedMessage implements QueuedWork {
  readonly urgent: boolean;
  constructor(
    private readonly ingest: FeedIngest,
    readonly message: FeedMessage,
    readonly protocol: FeedProtocol,
    readonly receivedAt: number,
    /** High-resolution receipt time, for the receipt-to-commit latency figure. */
    readonly hr: number,
    /** The origin's key: one connection, or one address for UDP. */
    readonly source: string,
  ) {
    this.urgent = URGENT_TYPES.has(message.type);
  }

  derive(out: LogEvent[]): void {
    this.ingest.derive(this, out);
  }

  unloggable(error: unknown): void {
    this.ingest.unloggable(this, error);
  }
}

export interface IngestOptions {
  /** Where accepted messages go: queued, committed in blocks (group commit). */
  writer: LogWriter;
  picture: LivePicture;
  site: Site;
  sectors: SectorIndex;
  quarantine: Quarantine;
  clock: Clock;
  /** Field devices a supervisor blocked (devices/deviceRegistry.ts); none when absent. */
  devices?: { blockedReason(device: string): string | undefined };
  /** The AIS ships' projection (for expiry); without it ships are never expired. */
  vessels?: VesselPicture;
}

export class FeedIngest {
  readonly stats = new FeedStats();
  private readonly limiter: RateLimiter;
  private readonly authenticator: FeedAuthenticator;
  private readonly sensors: Map<string, Site['sensors'][number]>;
  private readonly units: Map<string, Site['units'][number]>;
  /** Assignments already declared on scene (positions arrive faster than commits). */
  private readonly arrived = new Set<string>();
  /** Subjects (track, detection, report) that already raised an alert. */
  private readonly alerted = new Set<string>();
  private nextAlert: number;
  /** The unread detail last logged for each field device: logged again only when it changes. */
  private readonly lastExtra = new Map<string, string | undefined>();
  /** The signature verdicts of the frame being received, by sensor (one map reused, not one per frame). */
  private readonly verdicts = new Map<string, { reason: RejectReason; detail: string } | undefined>();
  /** Radar–AIS fusion, fed in log order as blocks are cut (docs/fusion.md). */
  readonly fusion: FusionEngine;

  constructor(private readonly options: IngestOptions) {
    this.fusion = new FusionEngine(
      (options.site.coastalBandNm ?? DEFAULT_COASTAL_BAND_NM) * 1852,
      options.site.sensors.flatMap((sensor) => (sensor.kind === 'ais' ? [{ position: sensor.position, rangeMeters: sensor.rangeMeters }] : [])),
    );
    this.limiter = new RateLimiter(options.site.listeners.perSourceRate);
    this.sensors = new Map(options.site.sensors.map((sensor) => [sensor.id, sensor]));
    this.units = new Map(options.site.units.map((unit) => [unit.id, unit]));
    this.authenticator = new FeedAuthenticator(
      new Map(options.site.sensors.flatMap((sensor) => (sensor.secret === undefined ? [] : [[sensor.id, sensor.secret] as const]))),
      options.clock.now(),
    );
    for (const subject of options.picture.alertSubjects(options.clock.now())) this.alerted.add(subject);
    this.nextAlert = options.picture.lastAlertNumber() + 1;
  }

  /**
   * Takes one message of the source's rate allowance. 0: go ahead; otherwise
   * the source is over its rate for that many ms (counted as throttled):
   * UDP drops the message, TCP and WebSocket hold the source back.
   */
  admit(origin: Origin): number {
    const holdMs = this.limiter.take(origin.key);
    if (holdMs > 0) this.stats.throttled(origin.key, origin.protocol);
    return holdMs;
  }

  /** The core's clock (AIS part timeouts). */
  now(): number {
    return this.options.clock.now();
  }

  /** Counts a message dropped without asking the limiter (UDP while the pipeline is congested). */
  throttle(origin: Origin): void {
    this.stats.throttled(origin.key, origin.protocol);
    this.options.writer.countRefused();
  }

  /** One frame from a socket, already admitted by the rate limit. */
  receive(origin: Origin, raw: Buffer | string, parse: (receivedAt: number) => Parsed): ReceiveResult {
    const receivedAt = this.options.clock.now();
    const hr = performance.now();
    let parsed: Parsed;
    try {
      parsed = parse(receivedAt);
    } catch (error) {
      // An adapter bug must not take the feed down: quarantine the input.
      parsed = { ok: false, reason: 'bad-schema', detail: `adapter failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!parsed.ok) return this.receiveChecked(origin, raw, parsed, receivedAt, hr);
    return this.receiveChecked(origin, raw, { ok: true, checked: checkMessages(parsed.messages), auth: parsed.auth }, receivedAt, hr);
  }

  /**
   * One frame already read and checked against the schema (by the parse
   * worker, feeds/parseWorker), at the receipt times taken when it was
   * admitted: from here on, exactly what `receive` does.
   */
  receiveChecked(origin: Origin, raw: Buffer | string, parsed: Exclude<ParsedFrame, { hello: unknown }>, receivedAt: number, hr: number): ReceiveResult {
    if (!parsed.ok) {
      this.reject(origin, raw, parsed.reason, parsed.detail, receivedAt);
      return { refused: [{ reason: parsed.reason, detail: parsed.detail }] };
    }
    let units: string[] | undefined;
    let devices: string[] | undefined;
    let refused: ReceiveResult['refused'];
    // One signature per frame: checked (and its counter used up) once per sensor, whatever the number of messages.
    const verdicts = this.verdicts;
    verdicts.clear();
    for (const checked of parsed.checked) {
      const refusal =
        'data' in checked ? this.authorise(checked.data, origin, parsed.auth, receivedAt, verdicts) : { reason: 'bad-schema' as const, detail: checked.issue };
      if (refusal || !('data' in checked)) {
        this.reject(origin, raw, refusal!.reason, refusal!.detail, receivedAt);
        (refused ??= []).push(refusal!);
        continue;
      }
      const message = checked.data;
      if ('unit' in message && message.unit !== undefined) (units ??= []).push(message.unit);
      if (message.type === 'device-report' || message.type === 'chat' || message.type === 'chat-receipt') (devices ??= []).push(message.device);
      this.stats.accepted(origin.key, origin.protocol);
      this.options.writer.enqueue(new QueuedMessage(this, message, origin.protocol, receivedAt, hr, origin.key));
    }
    return { units, devices, refused };
  }

  /** A frame refused before parsing (oversized, unsupported framing). */
  rejectRaw(origin: Origin, raw: Buffer | string, reason: RejectReason, detail: string): void {
    this.reject(origin, raw, reason, detail, this.options.clock.now());
  }

  /** Checks a JSON `hello`: the sensor or unit exists and, where the site sets one, the secret matches. */
  checkHello(hello: {
    sensor?: string;
    unit?: string;
    secret?: string;
  }): { ok: true; bound: { sensor?: string; unit?: string } } | { ok: false; reason: RejectReason; detail: string } {
    if (hello.sensor !== undefined) {
      const sensor = this.sensors.get(hello.sensor);
      if (!sensor) return { ok: false, reason: 'unknown-sensor', detail: `no sensor ${hello.sensor} in the site file` };
      if (sensor.secret !== undefined && !sameSecret(hello.secret, sensor.secret))
        return { ok: false, reason: 'bad-secret', detail: `wrong or missing secret for ${hello.sensor}` };
    }
    if (hello.unit !== undefined && !this.units.has(hello.unit)) return { ok: false, reason: 'unknown-unit', detail: `no unit ${hello.unit} in the site file` };
    return { ok: true, bound: { sensor: hello.sensor, unit: hello.unit } };
  }

  private authorise(
    message: FeedMessage,
    origin: Origin,
    auth: FrameAuth | undefined,
    receivedAt: number,
    verdicts: Map<string, { reason: RejectReason; detail: string } | undefined>,
  ): { reason: RejectReason; detail: string } | undefined {
    if (
      message.type === 'device-report' ||
      message.type === 'field-point' ||
      message.type === 'field-delete' ||
      message.type === 'chat' ||
      message.type === 'chat-receipt' ||
      message.type === 'emergency'
    ) {
      const device = 'device' in message ? message.device : undefined;
      const blocked = device === undefined ? undefined : this.options.devices?.blockedReason(device);
      if (blocked !== undefined) return { reason: 'blocked-device', detail: `device ${device} is blocked: ${blocked}` };
      return undefined;
    }
    if ('sensor' in message) {
      const sensor = this.sensors.get(message.sensor);
      if (!sensor) return { reason: 'unknown-sensor', detail: `no sensor ${message.sensor} in the site file` };
      // A sensor with a secret: its JSON connection showed it (hello), or this very message is signed with it.
      if (sensor.secret !== undefined && origin.bound?.sensor !== message.sensor) {
        if (!verdicts.has(sensor.id)) verdicts.set(sensor.id, this.authenticator.check(sensor.id, auth, receivedAt));
        return verdicts.get(sensor.id);
      }
    } else if (!this.units.has(message.unit) && !this.options.picture.units.has(message.unit)) {
      return { reason: 'unknown-unit', detail: `no unit ${message.unit} in the site file` };
    }
    return undefined;
  }

  private reject(origin: Origin, raw: Buffer | string, reason: RejectReason, detail: string, time: number): void {
    this.stats.rejected(origin.key, origin.protocol, reason);
    this.options.quarantine.add({ time, protocol: origin.protocol, source: origin.key, reason, detail, raw });
    this.options.writer.schedule();
  }

  /** A message accepted but whose events the log refused even on their own: quarantined with the reason. */
  unloggable(item: QueuedMessage, error: unknown): void {
    const detail = `accepted but could not be logged: ${error instanceof Error ? error.message : String(error)}`;
    this.options.quarantine.add({
      time: item.receivedAt,
      protocol: item.protocol,
      source: 'pipeline',
      reason: 'unloggable',
      detail,
      raw: JSON.stringify(item.message),
    });
  }

  /**
   * A validated message becomes its log event, plus an alert where it is
   * news. Called by the log writer when it cuts the message's block, so the
   * picture read here (on scene) is the committed one. Payload keys are
   * written in alphabetical order: canonical JSON then needs no sorting
   * (see shared/canonicalJson.ts).
   */
  derive({ message: m, protocol, receivedAt }: QueuedMessage, out: LogEvent[]): void {
    const at = Math.abs(m.time - receivedAt) >= 1000 ? m.time : undefined;
    const source = `${protocol}:${sourceId(m)}`;
    switch (m.type) {
      case 'heartbeat':
        out.push(logEvent('sensor.heartbeat', source, { at, s: m.sensor }, receivedAt));
        return;
      case 'track': {
        const hit = this.options.sectors.locate(m.lat, m.lon);
        const lost = m.lost ? (1 as const) : undefined;
        out.push(
          logEvent(
            'track.update',
            source,
            {
              at,
              cls: m.cls,
              crs: roundOpt(m.course, 0),
              lat: round(m.lat, 5),
              lon: round(m.lon, 5),
              lost,
              off: hit?.offshore ? 1 : undefined,
              s: m.sensor,
              sec: hit?.id,
              spd: roundOpt(m.speed, 1),
              stl: m.stale,
              t: m.track,
            },
            receivedAt,
          ),
        );
        this.fused(
          m.lost
            ? this.fusion.trackGone(m.track)
            : this.fusion.radar({
                track: m.track,
                sensor: m.sensor,
                time: receivedAt,
                lat: m.lat,
                lon: m.lon,
                course: m.course,
                speed: m.speed,
                cls: m.cls,
                coastMeters: hit?.meters,
              }),
          out,
          receivedAt,
        );
        if (m.lost) this.forgetTracks([m.track]);
        else if (m.cls === 'small-boat')
          this.raise(
            out,
            { kind: 'boat-at-sea', sensor: m.sensor, subject: `track:${m.track}`, lat: m.lat, lon: m.lon, sec: hit?.id, confidence: 0.7 },
            source,
            receivedAt,
          );
        return;
      }
      case 'detection': {
        const sec = this.options.sectors.locate(m.lat, m.lon)?.id;
        out.push(
          logEvent(
            'detection',
            source,
            { at, conf: round(m.confidence, 2), d: m.detection, kind: m.kind, lat: round(m.lat, 5), lon: round(m.lon, 5), n: m.count, s: m.sensor, sec },
            receivedAt,
          ),
        );
        this.raise(
          out,
          { kind: m.kind, sensor: m.sensor, subject: `det:${m.sensor}/${m.detection}`, lat: m.lat, lon: m.lon, sec, confidence: m.confidence, count: m.count },
          source,
          receivedAt,
        );
        return;
      }
      case 'optronic': {
        const target = destinationPoint(m.observerLat, m.observerLon, m.bearing, m.range);
        const sec = this.options.sectors.locate(target.lat, target.lon)?.id;
        out.push(
          logEvent(
            'optronic.report',
            source,
            {
              at,
              brg: round(m.bearing, 1),
              conf: round(m.confidence, 2),
              kind: m.kind,
              lat: round(target.lat, 5),
              lon: round(target.lon, 5),
              olat: round(m.observerLat, 5),
              olon: round(m.observerLon, 5),
              r: m.report,
              rng: Math.round(m.range),
              s: m.sensor,
              sec,
            },
            receivedAt,
          ),
        );
        this.raise(
          out,
          { kind: m.kind, sensor: m.sensor, subject: `opt:${m.sensor}/${m.report}`, lat: target.lat, lon: target.lon, sec, confidence: m.confidence },
          source,
          receivedAt,
        );
        return;
      }
      case 'unit-position': {
        out.push(
          logEvent(
            'unit.position',
            source,
            {
              at,
              hdg: roundOpt(m.heading, 0),
              lat: round(m.lat, 5),
              lon: round(m.lon, 5),
              sec: this.options.sectors.locate(m.lat, m.lon)?.id,
              spd: roundOpt(m.speed, 1),
              u: m.unit,
            },
            receivedAt,
          ),
        );
        // On scene, automatically, when a sent unit's fix reaches its incident.
        const unit = this.options.picture.units.get(m.unit);
        const assignment = unit?.assignment ? this.options.picture.assignments.get(unit.assignment) : undefined;
        if (
          assignment &&
          (assignment.status === 'assigned' || assignment.status === 'en-route') &&
          !this.arrived.has(assignment.id) &&
          distanceMeters(m.lat, m.lon, assignment.lat, assignment.lon) <= ON_SCENE_RADIUS_METERS
        ) {
          this.arrived.add(assignment.id);
          out.push(logEvent('unit.status', 'core', { a: assignment.id, by: 'core', status: 'on-scene', u: m.unit }, receivedAt));
        }
        return;
      }
      case 'device-report': {
        const x = this.lastExtra.get(m.device) === m.extra ? undefined : m.extra;
        this.lastExtra.set(m.device, m.extra);
        out.push(
          logEvent(
            'device.report',
            source,
            {
              at,
              bat: m.battery,
              crs: roundOpt(m.course, 0),
              cs: m.callsign,
              d: m.device,
              lat: round(m.lat, 5),
              lon: round(m.lon, 5),
              model: m.model,
              os: m.os,
              plat: m.platform,
              role: m.role,
              sec: this.options.sectors.locate(m.lat, m.lon)?.id,
              spd: roundOpt(m.speed, 1),
              stl: m.stale,
              team: m.team,
              ty: m.cotType,
              uid: m.uid,
              ver: m.version,
              x,
            },
            receivedAt,
          ),
        );
        return;
      }
      case 'field-point': {
        const hit = this.options.sectors.locate(m.lat, m.lon);
        out.push(
          logEvent(
            'field.point',
            source,
            {
              at,
              by: m.placedBy,
              cat: m.category,
              col: m.colour,
              cs: m.callsign,
              d: m.device,
              lat: round(m.lat, 5),
              lon: round(m.lon, 5),
              p: m.point,
              rmk: m.remarks,
              sec: hit?.id,
              stl: m.stale,
              ty: m.cotType,
              uid: m.uid,
              x: m.extra,
            },
            receivedAt,
          ),
        );
        // A hostile or unknown ground point placed inside a beach sector (not merely nearest to one) is an alert.
        if (m.category === 'atom' && hit && !hit.offshore && isBeachThreat(m.cotType))
          this.raise(
            out,
            { kind: 'field-report', sensor: m.device ?? m.point, subject: `field:${m.point}`, lat: m.lat, lon: m.lon, sec: hit.id, confidence: 0.6 },
            source,
            receivedAt,
          );
        return;
      }
      case 'field-delete':
        out.push(logEvent('field.deleted', source, { at, d: m.device, p: m.point, uid: m.uid }, receivedAt));
        return;
      case 'chat':
        out.push(
          logEvent(
            'chat.received',
            source,
            { at, cs: m.callsign, d: m.device, m: m.message, rid: m.roomId, room: m.room, text: m.text, to: m.to, uid: m.uid, x: m.extra },
            receivedAt,
          ),
        );
        return;
      case 'chat-receipt':
        out.push(logEvent('chat.receipt', source, { at, d: m.device, m: m.message, st: m.state, uid: m.uid }, receivedAt));
        return;
      case 'emergency': {
        const subject = `emergency:${m.device}`;
        if (m.kind === 'cancel') {
          out.push(logEvent('emergency.cancelled', source, { at, by: m.callsign, d: m.device, e: m.emergency, u: m.unit, uid: m.uid }, receivedAt));
          // The next emergency of this device is news again.
          this.alerted.delete(subject);
          return;
        }
        const sec = this.options.sectors.locate(m.lat, m.lon)?.id;
        out.push(
          logEvent(
            'emergency.raised',
            source,
            { at, cs: m.callsign, d: m.device, e: m.emergency, kind: m.kind, lat: round(m.lat, 5), lon: round(m.lon, 5), sec, u: m.unit, uid: m.uid },
            receivedAt,
          ),
        );
        // ATAK repeats a 911 every few seconds until cancelled: one alert per emergency.
        this.raise(out, { kind: 'emergency', sensor: m.unit ?? m.device, subject, lat: m.lat, lon: m.lon, sec, confidence: 1 }, source, receivedAt);
        return;
      }
      case 'unit-ack':
        out.push(logEvent('unit.status', source, { a: m.assignment, by: 'device', status: m.status, u: m.unit }, receivedAt));
        return;
      case 'ais-position': {
        const hit = m.lat !== undefined && m.lon !== undefined ? this.options.sectors.locate(m.lat, m.lon) : undefined;
        out.push(
          logEvent(
            'ais.position',
            source,
            {
              at,
              cog: m.course,
              hdg: m.heading,
              lat: m.lat,
              lon: m.lon,
              m: m.mmsi,
              msg: m.msg,
              nav: m.nav,
              off: hit?.offshore ? 1 : undefined,
              own: m.own ? 1 : undefined,
              s: m.sensor,
              sec: hit?.id,
              sog: m.speed,
            },
            receivedAt,
          ),
        );
        // Receipt times on both sides: a ship's or radar's clock must not move it in or out of a gate.
        if (!m.own && m.lat !== undefined && m.lon !== undefined)
          this.fusion.ais({ mmsi: m.mmsi, time: receivedAt, lat: m.lat, lon: m.lon, course: m.course, speed: m.speed });
        return;
      }
      case 'ais-static':
        out.push(
          logEvent(
            'ais.static',
            source,
            {
              at,
              bow: m.toBow,
              cs: m.callsign,
              dest: m.destination,
              dr: m.draught,
              eta: m.eta,
              imo: m.imo,
              m: m.mmsi,
              msg: m.msg,
              name: m.name,
              prt: m.toPort,
              s: m.sensor,
              stb: m.toStarboard,
              stn: m.toStern,
              ty: m.shipType,
            },
            receivedAt,
          ),
        );
        return;
      case 'ais-station':
        out.push(
          logEvent(
            'ais.station',
            source,
            { aid: m.aid, at, lat: m.lat, lon: m.lon, m: m.mmsi, msg: m.msg, name: m.name, s: m.sensor, virt: m.virtual },
            receivedAt,
          ),
        );
        return;
      case 'ais-other':
        out.push(logEvent('ais.other', source, { at, m: m.mmsi, msg: m.msg, s: m.sensor }, receivedAt));
        return;
    }
  }

  private raise(
    out: LogEvent[],
    a: {
      kind: EventPayloads['alert.raised']['kind'];
      sensor: string;
      subject: string;
      lat: number;
      lon: number;
      sec?: string;
      confidence: number;
      count?: number;
      why?: string[];
    },
    source: string,
    time: number,
  ): void {
    if (this.alerted.has(a.subject)) return;
    this.alerted.add(a.subject);
    const id = `A${String(this.nextAlert++).padStart(5, '0')}`;
    out.push(
      logEvent(
        'alert.raised',
        source,
        {
          conf: round(a.confidence, 2),
          id,
          kind: a.kind,
          lat: round(a.lat, 5),
          lon: round(a.lon, 5),
          n: a.count,
          s: a.sensor,
          sec: a.sec,
          sev: SEVERITY[a.kind],
          subj: a.subject,
          why: a.why,
        },
        time,
      ),
    );
  }

  /** Fusion's decisions as log events: associations, releases, and the alerts they raise. */
  private fused(changes: FusionChange[], out: LogEvent[], time: number): void {
    for (const change of changes) {
      switch (change.kind) {
        case 'associated':
          out.push(logEvent('ais.associated', 'core', { conf: change.confidence, m: change.mmsi, t: change.track }, time));
          break;
        case 'released':
          out.push(logEvent('ais.released', 'core', { m: change.mmsi, t: change.track, why: change.why }, time));
          break;
        case 'dark-contact':
          this.raise(
            out,
            {
              kind: 'dark-contact',
              sensor: change.sensor,
              subject: `dark:${change.track}`,
              lat: change.lat,
              lon: change.lon,
              sec: this.options.sectors.locate(change.lat, change.lon)?.id,
              confidence: 0.6,
              why: change.reasons,
            },
            'core',
            time,
          );
          break;
        case 'ais-silent':
          this.raise(
            out,
            {
              kind: 'ais-silent',
              sensor: change.sensor,
              subject: `ais-silent:${change.mmsi}:${change.track}`,
              lat: change.lat,
              lon: change.lon,
              sec: this.options.sectors.locate(change.lat, change.lon)?.id,
              confidence: 0.5,
            },
            'core',
            time,
          );
          break;
      }
    }
  }

  /**
   * Housekeeping every few seconds (sensorHealth.ts): fusion lets go of
   * expired tracks, forgets ships silent for long, and ships not heard for
   * 20 minutes leave the picture.
   */
  tracksGone(tracks: readonly string[], now: number): LogEvent[] {
    const out: LogEvent[] = [];
    for (const track of tracks) this.fused(this.fusion.trackGone(track), out, now);
    this.fusion.forgetSilentShips(now);
    const expired = this.options.vessels?.expired(now) ?? [];
    if (expired.length > 0) out.push(logEvent('ais.expired', 'core', { m: expired }, now));
    return out;
  }

  /** Tracks that left the picture: their ids may come back as new targets. */
  forgetTracks(ids: readonly string[]): void {
    for (const id of ids) this.alerted.delete(`track:${id}`);
  }

  /** Alert ids for system-raised alerts (sensor health). */
  newAlertId(): string {
    return `A${String(this.nextAlert++).padStart(5, '0')}`;
  }
}

/** `a-h-G…` or `a-u-G…`: hostile or unknown, on the ground. */
function isBeachThreat(cotType: string): boolean {
  return /^a-[hu]-G(?:-|$)/.test(cotType);
}

/** Who a message's events are logged as from: its sensor, unit, or field device (a point with no placer: the point itself). */
function sourceId(m: FeedMessage): string {
  if ('sensor' in m) return m.sensor;
  if ('unit' in m && m.unit !== undefined) return m.unit;
  if ('device' in m && m.device !== undefined) return m.device;
  return m.type === 'field-point' || m.type === 'field-delete' ? m.point : 'unknown';
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function roundOpt(value: number | undefined, digits: number): number | undefined {
  return value === undefined ? undefined : round(value, digits);
}

/** Compares digests, so neither the time taken nor an early length check says anything about the secret. */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}
