// The feed pipeline after the sockets: rate limit → parse → validate →
// check the sender is a known, authorised sensor or unit → (queue) → assign a
// sector and derive alerts → append to the log in one block per flush
// (group commit) → projections → consoles. Rejected input goes to the
// quarantine with its raw bytes; nothing is dropped silently, nothing throws
// back into a socket handler.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { FeedProtocol } from '../../../shared/domain';
import { describeIssues, type StorageStatus } from '../../../shared/contract';
import { destinationPoint, distanceMeters } from '../../../shared/sphere';
import type { SectorIndex } from '../geo/sectorIndex';
import type { EventLog } from '../log/eventLog';
import type { Logger } from '../logger';
import type { LivePicture } from '../picture/livePicture';
import { SEVERITY, pictureEvent, type PictureEvent } from '../picture/pictureEvents';
import type { Site } from '../../../shared/site';
import { FeedAuthenticator } from './auth';
import { FeedMessage, type FrameAuth, type Parsed, type RejectReason } from './feedMessage';
import { FeedStats } from './feedStats';
import type { Quarantine } from './quarantine';
import { Refusal } from '../refusal';
import { RateLimiter } from './rateLimiter';

export type Transport = 'udp' | 'tcp' | 'ws';

/** How often a block refused for lack of storage is tried again. */
export const STORAGE_RETRY_MS = 500;

/**
 * SQLite errors that say the log cannot be written *now* (disk full, file
 * locked by another process), not that the block is bad: the block must
 * wait, not be split up and quarantined.
 */
export function storageProblem(error: unknown): 'disk-full' | 'locked' | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL') return 'disk-full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  return undefined;
}

/** Thrown by appendSystem while feed ingest waits for storage: nothing may overtake the waiting block. */
export class StorageUnavailableError extends Refusal<'storage-unavailable'> {
  constructor(problem: 'disk-full' | 'locked') {
    super('storage-unavailable', { problem }, problem === 'disk-full' ? 'the log cannot be written: the disk is full (feed ingest paused)' : 'the log cannot be written: the database is locked by another process (feed ingest paused)');
    this.name = 'StorageUnavailableError';
  }
}

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
}

interface Queued {
  message: FeedMessage;
  protocol: FeedProtocol;
  receivedAt: number;
  /** High-resolution receipt time, for the receipt-to-commit latency figure. */
  hr: number;
}

export interface IngestOptions {
  log: EventLog;
  picture: LivePicture;
  site: Site;
  sectors: SectorIndex;
  quarantine: Quarantine;
  clock: Clock;
  logger: Logger;
  /** Largest block per commit. */
  maxBlock?: number;
  /** Queue length at which TCP sources are paused, and at which they resume. */
  highWater?: number;
  lowWater?: number;
}

export class FeedIngest {
  readonly stats = new FeedStats();
  private readonly limiter: RateLimiter;
  private readonly authenticator: FeedAuthenticator;
  private queue: Queued[] = [];
  private flushScheduled = false;
  private readonly sensors: Map<string, Site['sensors'][number]>;
  private readonly units: Map<string, Site['units'][number]>;
  /** Assignments already declared on scene (positions arrive faster than commits). */
  private readonly arrived = new Set<string>();
  /** Subjects (track, detection, report) that already raised an alert. */
  private readonly alerted = new Set<string>();
  private nextAlert: number;
  private congested = false;
  private readonly congestionListeners = new Set<(congested: boolean) => void>();
  private readonly committedListeners = new Set<(latenciesMs: Float64Array, count: number) => void>();
  private readonly maxBlock: number;
  private readonly highWater: number;
  private readonly lowWater: number;
  /**
   * A block the log refused for lack of storage, kept exactly as derived (its
   * alerts already numbered): it is committed first, as it is, once storage
   * returns. While it waits, ingest is paused (congested).
   */
  private stalled: { batch: Queued[]; events: PictureEvent[]; problem: 'disk-full' | 'locked'; since: number } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** UDP datagrams refused while paused for storage. */
  private refusedForStorage = 0;

  constructor(private readonly options: IngestOptions) {
    this.limiter = new RateLimiter(options.site.listeners.perSourceRate);
    this.sensors = new Map(options.site.sensors.map((sensor) => [sensor.id, sensor]));
    this.units = new Map(options.site.units.map((unit) => [unit.id, unit]));
    this.authenticator = new FeedAuthenticator(new Map(options.site.sensors.flatMap((sensor) => (sensor.secret === undefined ? [] : [[sensor.id, sensor.secret] as const]))), options.clock.now());
    this.maxBlock = options.maxBlock ?? 5_000;
    // About a second of full-speed ingest: beyond it, TCP sources wait instead of the queue growing.
    this.highWater = options.highWater ?? 20_000;
    this.lowWater = options.lowWater ?? 5_000;
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

  /** Counts a message dropped without asking the limiter (UDP while the pipeline is congested). */
  throttle(origin: Origin): void {
    this.stats.throttled(origin.key, origin.protocol);
    if (this.stalled) this.refusedForStorage += 1;
  }

  /** Whether the log can be written, for the console (feeds.status). */
  get storage(): StorageStatus {
    return { problem: this.stalled?.problem ?? null, since: this.stalled?.since ?? null, waiting: (this.stalled?.batch.length ?? 0) + this.queue.length, refused: this.refusedForStorage };
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
    if (!parsed.ok) {
      this.reject(origin, raw, parsed.reason, parsed.detail, receivedAt);
      return { refused: [{ reason: parsed.reason, detail: parsed.detail }] };
    }
    let units: string[] | undefined;
    let refused: ReceiveResult['refused'];
    // One signature per frame: checked (and its counter used up) once per sensor, whatever the number of messages.
    const verdicts = new Map<string, { reason: RejectReason; detail: string } | undefined>();
    for (const candidate of parsed.messages) {
      const checked = FeedMessage.safeParse(candidate);
      const refusal = checked.success ? this.authorise(checked.data, origin, parsed.auth, receivedAt, verdicts) : { reason: 'bad-schema' as const, detail: describeIssues(checked.error) };
      if (refusal || !checked.success) {
        this.reject(origin, raw, refusal!.reason, refusal!.detail, receivedAt);
        (refused ??= []).push(refusal!);
        continue;
      }
      const message = checked.data;
      if ('unit' in message) (units ??= []).push(message.unit);
      this.stats.accepted(origin.key, origin.protocol);
      this.enqueue({ message, protocol: origin.protocol, receivedAt, hr });
    }
    return { units, refused };
  }

  /** A frame refused before parsing (oversized, unsupported framing). */
  rejectRaw(origin: Origin, raw: Buffer | string, reason: RejectReason, detail: string): void {
    this.reject(origin, raw, reason, detail, this.options.clock.now());
  }

  /** Checks a JSON `hello`: the sensor or unit exists and, where the site sets one, the secret matches. */
  checkHello(hello: { sensor?: string; unit?: string; secret?: string }): { ok: true; bound: { sensor?: string; unit?: string } } | { ok: false; reason: RejectReason; detail: string } {
    if (hello.sensor !== undefined) {
      const sensor = this.sensors.get(hello.sensor);
      if (!sensor) return { ok: false, reason: 'unknown-sensor', detail: `no sensor ${hello.sensor} in the site file` };
      if (sensor.secret !== undefined && !sameSecret(hello.secret, sensor.secret)) return { ok: false, reason: 'bad-secret', detail: `wrong or missing secret for ${hello.sensor}` };
    }
    if (hello.unit !== undefined && !this.units.has(hello.unit)) return { ok: false, reason: 'unknown-unit', detail: `no unit ${hello.unit} in the site file` };
    return { ok: true, bound: { sensor: hello.sensor, unit: hello.unit } };
  }

  onCongestion(listener: (congested: boolean) => void): () => void {
    this.congestionListeners.add(listener);
    return () => this.congestionListeners.delete(listener);
  }

  /** After each commit: receipt-to-commit latencies (ms) of the messages it held. */
  onCommitted(listener: (latenciesMs: Float64Array, count: number) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Commits everything queued now (used at shutdown and by tests). */
  flushNow(): void {
    // While storage is missing the waiting block stays; nothing is lost, nothing overtakes it.
    while ((this.queue.length > 0 || this.stalled) && this.flush());
  }

  /** Logs system events (health, throttling) through the same ordered path as feed events. */
  appendSystem(events: PictureEvent[]): void {
    this.flushNow();
    if (this.stalled) throw new StorageUnavailableError(this.stalled.problem);
    if (events.length > 0) this.options.log.append(events);
  }

  private authorise(
    message: FeedMessage,
    origin: Origin,
    auth: FrameAuth | undefined,
    receivedAt: number,
    verdicts: Map<string, { reason: RejectReason; detail: string } | undefined>,
  ): { reason: RejectReason; detail: string } | undefined {
    if ('sensor' in message) {
      const sensor = this.sensors.get(message.sensor);
      if (!sensor) return { reason: 'unknown-sensor', detail: `no sensor ${message.sensor} in the site file` };
      // A sensor with a secret: its JSON connection showed it (hello), or this very message is signed with it.
      if (sensor.secret !== undefined && origin.bound?.sensor !== message.sensor) {
        if (!verdicts.has(sensor.id)) verdicts.set(sensor.id, this.authenticator.check(sensor.id, auth, receivedAt));
        return verdicts.get(sensor.id);
      }
    } else if (!this.units.has(message.unit)) {
      return { reason: 'unknown-unit', detail: `no unit ${message.unit} in the site file` };
    }
    return undefined;
  }

  private reject(origin: Origin, raw: Buffer | string, reason: RejectReason, detail: string, time: number): void {
    this.stats.rejected(origin.key, origin.protocol, reason);
    this.options.quarantine.add({ time, protocol: origin.protocol, source: origin.key, reason, detail, raw });
    this.scheduleFlush();
  }

  private enqueue(item: Queued): void {
    this.queue.push(item);
    if (!this.congested && this.queue.length >= this.highWater) this.setCongested(true);
    this.scheduleFlush();
  }

  private setCongested(congested: boolean): void {
    this.congested = congested;
    for (const listener of this.congestionListeners) listener(congested);
  }

  private scheduleFlush(): void {
    // Waiting for storage: the retry timer flushes, not every arrival.
    if (this.flushScheduled || this.stalled) return;
    this.flushScheduled = true;
    // setImmediate: everything that arrived in this turn of the event loop
    // becomes one transaction (group commit), yet nothing waits for a timer.
    setImmediate(() => {
      this.flushScheduled = false;
      this.runFlush();
    });
  }

  private runFlush(): void {
    try {
      this.flush();
    } catch (error) {
      this.options.logger.error(`feed commit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (!this.stalled && (this.queue.length > 0 || this.options.quarantine.pending > 0)) this.scheduleFlush();
  }

  /** One step: the waiting block if any, the quarantine, then one block of the queue. False while storage is missing. */
  private flush(): boolean {
    try {
      if (this.stalled && !this.commit(this.stalled.batch, this.stalled.events)) return false;
      this.flushQuarantine();
      if (this.queue.length === 0) return true;
      const batch = this.queue.length <= this.maxBlock ? this.queue : this.queue.slice(0, this.maxBlock);
      this.queue = this.queue.length <= this.maxBlock ? [] : this.queue.slice(this.maxBlock);
      const events: PictureEvent[] = [];
      for (const item of batch) this.derive(item, events);
      return this.commit(batch, events);
    } finally {
      if (this.congested && !this.stalled && this.queue.length <= this.lowWater) this.setCongested(false);
    }
  }

  /**
   * Appends one derived block. A block refused for lack of storage becomes
   * (or stays) the waiting block and pauses ingest: false. Any other failure
   * goes through recover().
   */
  private commit(batch: Queued[], events: PictureEvent[]): boolean {
    try {
      this.options.log.append(events);
    } catch (error) {
      const problem = storageProblem(error);
      if (!problem) {
        this.stalled = undefined;
        this.recover(batch, error);
        return this.committed(batch);
      }
      // The projections ran inside the rolled-back transaction: read the committed state again.
      this.options.picture.reload();
      if (!this.stalled) {
        this.stalled = { batch, events, problem, since: this.options.clock.now() };
        this.options.logger.error(
          `${problem === 'disk-full' ? 'disk full' : 'database locked by another process'}: the log cannot be written (${error instanceof Error ? error.message : String(error)}); ` +
            `feed ingest paused — TCP and WebSocket sources held back, UDP datagrams refused and counted — ${batch.length} messages waiting; retrying every ${STORAGE_RETRY_MS} ms`,
        );
        if (!this.congested) this.setCongested(true);
      }
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = undefined;
        this.runFlush();
      }, STORAGE_RETRY_MS).unref();
      return false;
    }
    if (this.stalled) {
      const { since, problem } = this.stalled;
      this.stalled = undefined;
      this.options.logger.warn(`the log can be written again (${problem} for ${((this.options.clock.now() - since) / 1000).toFixed(1)} s): feed ingest resumed; ${this.refusedForStorage} UDP datagrams refused so far`);
    }
    return this.committed(batch);
  }

  private committed(batch: Queued[]): true {
    const done = performance.now();
    const latencies = new Float64Array(batch.length);
    for (let i = 0; i < batch.length; i++) latencies[i] = done - batch[i]!.hr;
    for (const listener of this.committedListeners) listener(latencies, batch.length);
    return true;
  }

  /** Writes the refused messages; on a full disk their raw bytes are lost (the per-source counters keep them). */
  private flushQuarantine(): void {
    const pending = this.options.quarantine.pending;
    try {
      this.options.quarantine.flush();
    } catch (error) {
      if (!storageProblem(error)) throw error;
      this.options.logger.error(`quarantine: ${pending} refused messages could not be stored (${error instanceof Error ? error.message : String(error)}); they stay counted in feeds.status`);
    }
  }

  /**
   * A block that could not be committed (rolled back whole): bring the
   * picture back in line with the tables, then commit its messages one by one
   * so a single bad one cannot take the others with it; what still fails is
   * quarantined with the reason.
   */
  private recover(batch: Queued[], error: unknown): void {
    this.options.logger.error(`feed block of ${batch.length} rolled back (${error instanceof Error ? error.message : String(error)}); retrying one by one`);
    this.options.picture.reload();
    for (const item of batch) {
      const events: PictureEvent[] = [];
      this.derive(item, events);
      try {
        this.options.log.append(events);
      } catch (single) {
        this.options.picture.reload();
        const detail = `accepted but could not be logged: ${single instanceof Error ? single.message : String(single)}`;
        this.options.quarantine.add({ time: item.receivedAt, protocol: item.protocol, source: 'pipeline', reason: 'unloggable', detail, raw: JSON.stringify(item.message) });
      }
    }
  }

  /**
   * A validated message becomes its log event, plus an alert where it is
   * news. Payload keys are written in alphabetical order: canonical JSON then
   * needs no sorting (see shared/canonicalJson.ts).
   */
  private derive({ message: m, protocol, receivedAt }: Queued, out: PictureEvent[]): void {
    const at = Math.abs(m.time - receivedAt) >= 1000 ? m.time : undefined;
    const source = `${protocol}:${'sensor' in m ? m.sensor : m.unit}`;
    switch (m.type) {
      case 'heartbeat':
        out.push(pictureEvent('sensor.heartbeat', source, { at, s: m.sensor }, receivedAt));
        return;
      case 'track': {
        const hit = this.options.sectors.locate(m.lat, m.lon);
        const lost = m.lost ? (1 as const) : undefined;
        out.push(
          pictureEvent(
            'track.update',
            source,
            { at, cls: m.cls, crs: roundOpt(m.course, 0), lat: round(m.lat, 5), lon: round(m.lon, 5), lost, off: hit?.offshore ? 1 : undefined, s: m.sensor, sec: hit?.id, spd: roundOpt(m.speed, 1), stl: m.stale, t: m.track },
            receivedAt,
          ),
        );
        if (m.lost) this.forgetTracks([m.track]);
        else if (m.cls === 'small-boat') this.raise(out, { kind: 'boat-at-sea', sensor: m.sensor, subject: `track:${m.track}`, lat: m.lat, lon: m.lon, sec: hit?.id, confidence: 0.7 }, source, receivedAt);
        return;
      }
      case 'detection': {
        const sec = this.options.sectors.locate(m.lat, m.lon)?.id;
        out.push(pictureEvent('detection', source, { at, conf: round(m.confidence, 2), d: m.detection, kind: m.kind, lat: round(m.lat, 5), lon: round(m.lon, 5), n: m.count, s: m.sensor, sec }, receivedAt));
        this.raise(out, { kind: m.kind, sensor: m.sensor, subject: `det:${m.sensor}/${m.detection}`, lat: m.lat, lon: m.lon, sec, confidence: m.confidence, count: m.count }, source, receivedAt);
        return;
      }
      case 'optronic': {
        const target = destinationPoint(m.observerLat, m.observerLon, m.bearing, m.range);
        const sec = this.options.sectors.locate(target.lat, target.lon)?.id;
        out.push(
          pictureEvent(
            'optronic.report',
            source,
            { at, brg: round(m.bearing, 1), conf: round(m.confidence, 2), kind: m.kind, lat: round(target.lat, 5), lon: round(target.lon, 5), olat: round(m.observerLat, 5), olon: round(m.observerLon, 5), r: m.report, rng: Math.round(m.range), s: m.sensor, sec },
            receivedAt,
          ),
        );
        this.raise(out, { kind: m.kind, sensor: m.sensor, subject: `opt:${m.sensor}/${m.report}`, lat: target.lat, lon: target.lon, sec, confidence: m.confidence }, source, receivedAt);
        return;
      }
      case 'unit-position': {
        out.push(pictureEvent('unit.position', source, { at, hdg: roundOpt(m.heading, 0), lat: round(m.lat, 5), lon: round(m.lon, 5), sec: this.options.sectors.locate(m.lat, m.lon)?.id, spd: roundOpt(m.speed, 1), u: m.unit }, receivedAt));
        // On scene, automatically, when a sent unit's fix reaches its incident.
        const unit = this.options.picture.units.get(m.unit);
        const assignment = unit?.assignment ? this.options.picture.assignments.get(unit.assignment) : undefined;
        if (assignment && (assignment.status === 'assigned' || assignment.status === 'en-route') && !this.arrived.has(assignment.id) && distanceMeters(m.lat, m.lon, assignment.lat, assignment.lon) <= ON_SCENE_RADIUS_METERS) {
          this.arrived.add(assignment.id);
          out.push(pictureEvent('unit.status', 'core', { a: assignment.id, by: 'core', status: 'on-scene', u: m.unit }, receivedAt));
        }
        return;
      }
      case 'unit-ack':
        out.push(pictureEvent('unit.status', source, { a: m.assignment, by: 'device', status: m.status, u: m.unit }, receivedAt));
        return;
    }
  }

  private raise(
    out: PictureEvent[],
    a: { kind: PictureEvent<'alert.raised'>['payload']['kind']; sensor: string; subject: string; lat: number; lon: number; sec?: string; confidence: number; count?: number },
    source: string,
    time: number,
  ): void {
    if (this.alerted.has(a.subject)) return;
    this.alerted.add(a.subject);
    const id = `A${String(this.nextAlert++).padStart(5, '0')}`;
    out.push(
      pictureEvent(
        'alert.raised',
        source,
        { conf: round(a.confidence, 2), id, kind: a.kind, lat: round(a.lat, 5), lon: round(a.lon, 5), n: a.count, s: a.sensor, sec: a.sec, sev: SEVERITY[a.kind], subj: a.subject },
        time,
      ),
    );
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
