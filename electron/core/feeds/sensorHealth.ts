// Periodic housekeeping that becomes logged system events: a sensor silent
// past its heartbeat raises an alert (and recovers when it speaks again), an
// alert left unacknowledged past the site's time escalates,
// tracks not heard of for a while leave the picture, and per-source throttle
// counts are recorded. Logged, so replay shows exactly what the operator saw.
import type { Clock } from '../../../shared/clock';
import type { SectorIndex } from '../geo/sectorIndex';
import { logEvent, type LogEvent } from '../log/eventCatalogue';
import type { LogWriter } from '../log/logWriter';
import type { LivePicture } from '../picture/livePicture';
import { SEVERITY } from '../picture/severity';
import type { Logger } from '../logger';
import type { FeedIngest } from './ingest';

export const TRACK_EXPIRY_MS = 10 * 60_000;

export class SensorHealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  /** A check waits in the writer's queue. */
  private checkQueued = false;

  constructor(
    private readonly picture: LivePicture,
    private readonly ingest: FeedIngest,
    private readonly writer: LogWriter,
    private readonly sectors: SectorIndex,
    private readonly clock: Clock,
    /** When the core started: a sensor never heard of gets one heartbeat period of grace from here. */
    private readonly startedAt: number,
    private readonly logger: Logger,
    /** Seconds an alert may wait unacknowledged before it escalates (site file). */
    private readonly escalateAfterSeconds = 120,
  ) {}

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (error) {
        this.logger.error(`health check failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Queues one round of checks in the log writer, behind what was received
   * before it: the check then reads the picture with all of that committed,
   * and its events take their place in the log (and their alert numbers)
   * where it was cut — without flushing the whole queue here, which at
   * 10,000 tracks held the core ~100 ms every second.
   */
  tick(): void {
    // Nothing can be logged while a block waits for storage (the writer retries it): decide again once it is written.
    if (this.writer.storageProblem || this.checkQueued) return;
    this.checkQueued = true;
    const now = this.clock.now();
    this.writer.enqueue({
      hr: performance.now(),
      startsBlock: true,
      derive: (out) => {
        this.checkQueued = false;
        this.check(now, out);
      },
      unloggable: (error) => this.logger.error(`health check events could not be logged: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  /** One round of checks at `now`, its events added to `out`. */
  private check(now: number, events: LogEvent[]): void {
    for (const sensor of this.picture.sensors.values()) {
      const limit = sensor.heartbeatSeconds * 1000;
      const heard = sensor.lastSeen ?? this.startedAt;
      if (sensor.health === 'ok' && now - Math.max(heard, this.startedAt) > limit) {
        events.push(logEvent('sensor.silent', 'core', { s: sensor.id, lastSeen: sensor.lastSeen }, now));
        const [lon, lat] = sensor.position;
        const sec = this.sectors.locate(lat, lon)?.id;
        events.push(
          logEvent(
            'alert.raised',
            'core',
            {
              id: this.ingest.newAlertId(),
              kind: 'sensor-silent',
              lat,
              lon,
              s: sensor.id,
              sec,
              sev: SEVERITY['sensor-silent'],
              subj: `silent:${sensor.id}:${now}`,
            },
            now,
          ),
        );
      } else if (sensor.health === 'silent' && sensor.lastSeen !== null && now - sensor.lastSeen <= limit) {
        events.push(logEvent('sensor.recovered', 'core', { s: sensor.id }, now));
      }
    }
    for (const alert of this.picture.alerts.values()) {
      if (alert.status === 'new' && !alert.escalated && now - alert.time > this.escalateAfterSeconds * 1000)
        events.push(logEvent('alert.escalated', 'core', { alert: alert.id }, now));
    }
    this.ticks += 1;
    if (this.ticks % 10 === 0) {
      const expired = [...this.picture.tracks.values()].filter((track) => now - track.time > TRACK_EXPIRY_MS).map((track) => track.id);
      if (expired.length > 0) {
        events.push(logEvent('track.expired', 'core', { t: expired }, now));
        // A target number reused later is a new boat: let it raise its own alert.
        this.ingest.forgetTracks(expired);
      }
      // Fusion lets go of those tracks; ships long silent leave the picture.
      events.push(...this.ingest.tracksGone(expired, now));
      for (const { source, count } of this.ingest.stats.takeThrottleReport()) events.push(logEvent('feed.throttled', 'core', { src: source, n: count }, now));
    }
  }
}
