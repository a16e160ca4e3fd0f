// Neighbours (issue 16 item 4; docs/federation.md#neighbours): a post sees
// the units and open incidents of the posts beside it, read-only, through the
// centre. The centre publishes each post's digest — made from its mirror's
// picture, with the centre's time — on `vigie.region.<POST>`, captured by the
// stream VIGIE_REGION that keeps only the last one per post; a post with
// neighbours subscribes to theirs over its uplink's connection and keeps them
// in memory. They are someone else's data, so they never enter the post's
// own log; a digest too old, or a link that is down, is shown stale.
import { DiscardPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../../../shared/clock';
import { RegionDigest, type IncidentView, type NeighbourView, type UnitView } from '../../../shared/contract';
import type { Logger } from '../logger';
import { classifyNatsError } from './natsLink';
import { WireError } from './wire';

/** The stream holding each post's latest digest (one message per subject). */
export const REGION_STREAM = 'VIGIE_REGION';
export const REGION_SUBJECTS = 'vigie.region.>';
export const regionSubject = (post: string) => `vigie.region.${post}`;

/** A digest older than this (the centre's time against the post's) is shown stale. */
export const STALE_AFTER_MS = 60_000;
/** The centre republishes an unchanged digest this often, so that a live neighbour never looks stale. */
export const DIGEST_KEEPALIVE_MS = 15_000;
/** And publishes a changed one at most this often, per post. */
export const DIGEST_EVERY_MS = 1_000;

const ACTIVE_ASSIGNMENT = new Set(['assigned', 'en-route', 'on-scene']);

/** What the centre knows of a post for its digest: its mirror's picture, and when the post was last heard from. */
export interface DigestSource {
  units: readonly UnitView[];
  incidents: readonly IncidentView[];
  heardAt: number;
}

/** A post's digest: every unit (a unit with no fix yet has null lat/lon) and the open incidents. */
export function regionDigest(post: string, at: number, picture: DigestSource): RegionDigest {
  return {
    v: 1,
    post,
    at,
    heardAt: picture.heardAt,
    units: picture.units.map((unit) => ({
      id: unit.id,
      callsign: unit.callsign,
      type: unit.type,
      status: unit.status,
      lat: unit.lat,
      lon: unit.lon,
      fixTime: unit.fixTime,
    })),
    incidents: picture.incidents
      .filter((incident) => incident.status === 'open')
      .map((incident) => ({
        id: incident.id,
        sector: incident.sector,
        lat: incident.lat,
        lon: incident.lon,
        openedAt: incident.openedAt,
        units: incident.assignments.filter((assignment) => ACTIVE_ASSIGNMENT.has(assignment.status)).length,
      })),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeDigest(digest: RegionDigest): Uint8Array {
  return encoder.encode(JSON.stringify(digest));
}

/** A digest as received on `vigie.region.<post>`; anything else is a WireError saying why. */
export function decodeDigest(post: string, data: Uint8Array): RegionDigest {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch {
    throw new WireError('not a region digest (not JSON text)');
  }
  const parsed = RegionDigest.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WireError(`not a region digest (${issue?.path.join('.') || 'shape'}: ${issue?.message})`);
  }
  if (parsed.data.post !== post) throw new WireError(`a digest of post ${parsed.data.post} on ${regionSubject(post)}`);
  return parsed.data;
}

async function ensureRegionStream(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc, { timeout: 5_000 });
  try {
    await jsm.streams.info(REGION_STREAM);
  } catch (error) {
    if ((error as Error).name !== 'StreamNotFoundError') throw error;
    // The last digest per post and nothing more; in memory, since the centre makes them again within a second of any restart.
    await jsm.streams.add({
      name: REGION_STREAM,
      subjects: [REGION_SUBJECTS],
      max_msgs_per_subject: 1,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      storage: StorageType.Memory,
    });
  }
}

export interface RegionPublisherOptions {
  nc: NatsConnection;
  /** The posts the centre knows, and each one's units and incidents (from its mirror's picture); undefined while not yet projected. */
  posts: () => Iterable<string>;
  pictureOf: (post: string) => DigestSource | undefined;
  clock: Clock;
  logger: Logger;
  everyMs?: number;
  keepaliveMs?: number;
}

/**
 * At the centre: every second, each post's digest, published when it
 * changed or when the last one is getting old (the keep-alive). Published
 * through JetStream, so that a post connecting later finds the last one.
 */
export class RegionPublisher {
  private readonly js: JetStreamClient;
  private readonly last = new Map<string, { body: string; at: number }>();
  private streamReady = false;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private failure: string | null = null;

  constructor(private readonly options: RegionPublisherOptions) {
    this.js = jetstream(options.nc, { timeout: 5_000 });
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.everyMs ?? DIGEST_EVERY_MS);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private stopped = false;

  /** One round over the posts; a round still publishing is not overlapped. */
  async tick(): Promise<void> {
    if (this.busy || this.options.nc.isClosed()) return;
    this.busy = true;
    try {
      // A server restarted without its (memory) stream gets it back at the next round.
      if (!this.streamReady) {
        await ensureRegionStream(this.options.nc);
        this.streamReady = true;
      }
      const now = this.options.clock.now();
      for (const post of this.options.posts()) {
        const picture = this.options.pictureOf(post);
        if (!picture) continue;
        const digest = regionDigest(post, now, picture);
        const body = JSON.stringify([digest.units, digest.incidents]);
        const last = this.last.get(post);
        if (last && last.body === body && now - last.at < (this.options.keepaliveMs ?? DIGEST_KEEPALIVE_MS)) continue;
        await this.js.publish(regionSubject(post), encodeDigest(digest));
        this.last.set(post, { body, at: now });
      }
      if (this.failure) this.options.logger.info('centre: publishing neighbour digests again');
      this.failure = null;
    } catch (error) {
      this.streamReady = false;
      if (this.stopped) return;
      const detail = classifyNatsError(error).detail;
      if (detail !== this.failure) this.options.logger.warn(`centre: neighbour digests not published (${detail}); trying again`);
      this.failure = detail;
    } finally {
      this.busy = false;
    }
  }
}

export interface NeighbourWatchOptions {
  /** This post's name: it is never its own neighbour. */
  post: string;
  neighbours: readonly string[];
  clock: Clock;
  logger: Logger;
  staleAfterMs?: number;
}

interface Neighbour {
  digest: RegionDigest | null;
  state: NeighbourView['state'];
  ignored: number;
}

/**
 * At the post: the neighbours' digests, kept in memory (never in the log).
 * It rides on the uplink's connection (attach, at each new connection): a
 * subscription per neighbour for the digests as they come, and at each
 * (re)connection the last one the stream holds, so nothing waits a keep-alive.
 */
export class NeighbourWatch {
  private readonly neighbours = new Map<string, Neighbour>();
  private readonly staleAfterMs: number;
  private nc: NatsConnection | undefined;
  private linkUp = false;
  private changed = true;

  constructor(private readonly options: NeighbourWatchOptions) {
    this.staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
    for (const post of options.neighbours) {
      if (post === options.post) {
        options.logger.warn(`neighbours: ${post} is this post's own name, not a neighbour; left out`);
        continue;
      }
      this.neighbours.set(post, { digest: null, state: 'waiting', ignored: 0 });
    }
  }

  get names(): string[] {
    return [...this.neighbours.keys()];
  }

  /** A new connection of the uplink's (the client reconnects by itself after that; this is for a new one after a close). */
  attach(nc: NatsConnection): void {
    if (this.neighbours.size === 0) return;
    // The old connection is closed (the uplink makes a new one only then), and its subscriptions with it.
    this.nc = nc;
    this.setLink(true);
    for (const post of this.names)
      nc.subscribe(regionSubject(post), {
        callback: (error, message) => {
          if (!error) this.take(post, message.data);
        },
      });
    void this.fetchLast(nc);
    void (async () => {
      for await (const status of nc.status()) {
        if (this.nc !== nc) return;
        if (status.type === 'disconnect') this.setLink(false);
        else if (status.type === 'reconnect') {
          this.setLink(true);
          void this.fetchLast(nc);
        }
      }
    })().catch(() => undefined);
    void nc.closed().then(() => {
      if (this.nc === nc) this.setLink(false);
    });
  }

  /** The uplink closes the connection, and the subscriptions with it. */
  stop(): void {
    this.nc = undefined;
  }

  /** Every neighbour as the consoles show it, states as of now. */
  views(): NeighbourView[] {
    this.refreshStates();
    return [...this.neighbours].map(([post, neighbour]) => ({
      post,
      state: neighbour.state,
      at: neighbour.digest?.at ?? null,
      heardAt: neighbour.digest?.heardAt ?? null,
      units: neighbour.digest?.units ?? [],
      incidents: neighbour.digest?.incidents ?? [],
    }));
  }

  /** The views if anything changed since the last call (a digest, a state), else null: the core's push loop asks ten times a second. */
  takeChanged(): NeighbourView[] | null {
    if (this.neighbours.size === 0) return null;
    this.refreshStates();
    if (!this.changed) return null;
    this.changed = false;
    return this.views();
  }

  private setLink(up: boolean): void {
    if (up === this.linkUp) return;
    this.linkUp = up;
    this.changed = true;
  }

  private refreshStates(): void {
    const now = this.options.clock.now();
    for (const [post, neighbour] of this.neighbours) {
      const digest = neighbour.digest;
      // Live takes the link up, a recent digest, and the neighbour itself heard from recently when the centre made it (both centre times).
      const why = !digest
        ? null
        : !this.linkUp
          ? 'the link to the centre is down'
          : now - digest.at > this.staleAfterMs
            ? `last digest of ${new Date(digest.at).toISOString()}`
            : digest.at - digest.heardAt > this.staleAfterMs
              ? `the centre has not heard from ${post} since ${new Date(digest.heardAt).toISOString()}`
              : null;
      const state = !digest ? 'waiting' : why ? 'stale' : 'live';
      if (state === neighbour.state) continue;
      // The link to a neighbour going up or down is the diagnostic log's business; the neighbour's data is not the post's log's.
      if (state === 'stale') this.options.logger.warn(`neighbour ${post}: stale (${why})`);
      else if (state === 'live') this.options.logger.info(`neighbour ${post}: live`);
      neighbour.state = state;
      this.changed = true;
    }
  }

  private take(post: string, data: Uint8Array): void {
    const neighbour = this.neighbours.get(post);
    if (!neighbour) return;
    let digest: RegionDigest;
    try {
      digest = decodeDigest(post, data);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      neighbour.ignored += 1;
      if (neighbour.ignored <= 10 || neighbour.ignored % 1000 === 0)
        this.options.logger.warn(`neighbour ${post}: digest ignored: ${error.message} (${neighbour.ignored} so far)`);
      return;
    }
    // The stream's last one, read at a reconnection, can arrive after a newer one on the subscription.
    if (neighbour.digest && neighbour.digest.at > digest.at) return;
    neighbour.digest = digest;
    this.changed = true;
  }

  private async fetchLast(nc: NatsConnection): Promise<void> {
    try {
      const jsm = await jetstreamManager(nc, { timeout: 5_000 });
      for (const post of this.names) {
        const message = await jsm.streams.getMessage(REGION_STREAM, { last_by_subj: regionSubject(post) });
        if (message) this.take(post, message.data);
      }
    } catch (error) {
      // No centre has published yet (no stream): the subscription will bring the first digest.
      if ((error as Error).name === 'StreamNotFoundError') return;
      this.options.logger.warn(`neighbours: the last digests could not be read (${classifyNatsError(error).detail}); waiting for the next ones`);
    }
  }
}
