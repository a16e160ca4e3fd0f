// The regional centre (issue 16; docs/federation.md): follows every post's
// stream with a durable consumer of its own and keeps, per post, a mirror of
// its log (DIR/posts/NAME/vigie.sqlite, mirror.ts), checked block by block as
// it arrives. A gap, a break or a fork stops that post's mirror where it was
// last good, is written beside it (problem.json) and reported by `vigie
// verify --data DIR` — never skipped over. Messages on a post's stream that
// are not Vigie's are counted, named and left alone. Each mirror runs the
// core's projections as its blocks are written, so the centre holds every
// post's picture (pictureOf) for the regional console.
import fs from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../../shared/clock';
import type { CentreSentMessage } from '../../../shared/contract';
import { openDatabase, databasePath, type Db } from '../db/database';
import { logEvent } from '../log/eventCatalogue';
import { EventLog, iterateEvents } from '../log/eventLog';
import type { Logger } from '../logger';
import type { LivePicture, PictureDelta } from '../picture/livePicture';
import { createProjections } from '../picture/projections';
import type { VesselPicture } from '../picture/vesselPicture';
import { PostCentreMessages } from './centreMessages';
import { MirrorLog, MirrorProblem, type MirrorProblemKind } from './mirror';
import { RegionPublisher } from './neighbours';
import { classifyNatsError, connectNats, ensureCentreStream, type NatsTarget } from './natsLink';
import {
  ALIVE_SUBJECTS,
  CENTRE_MESSAGE_MAX,
  POST_HEADER,
  PostName,
  WireError,
  aliveSubject,
  centreSubject,
  decodeBlock,
  decodeEvent,
  encodeCentreMessage,
  messageKind,
  postOfStream,
  streamName,
} from './wire';

/** How many times (a second apart) a message the consumer skipped is asked of the stream before it is taken as gone. */
const SKIPPED_READ_ATTEMPTS = 15;

/** The centre's consumer on every post's stream; a second centre on the same server takes another name (--consumer). */
export const CENTRE_CONSUMER = 'vigie-centre';
export const POSTS_DIR = 'posts';
/** Beside a mirror: why it stopped (a gap, a break, a fork), kept until someone deals with it. */
export const PROBLEM_FILE = 'problem.json';
/** The centre's own log (DIR/centre/vigie.sqlite): the messages it sent the posts, hash-chained as a post's log is. */
export const CENTRE_LOG_DIR = 'centre';

/** A message the centre could not send: a clear reason, nothing logged. */
export class CentreMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CentreMessageError';
  }
}

export interface MirrorProblemRecord {
  kind: MirrorProblemKind;
  seq: number;
  detail: string;
  at: string;
}

export interface PostState {
  post: string;
  stream: string;
  /** following: consuming; stopped: a problem holds the mirror; stream-missing: the stream is gone from the server (the mirror is kept). */
  state: 'following' | 'stopped' | 'stream-missing';
  lastSeq: number;
  lastBlock: number;
  headHash: string;
  /** Events received and waiting for their block message. */
  pending: number;
  problem: MirrorProblemRecord | null;
  /** Messages on the post's stream that are not Vigie's. */
  foreign: { count: number; last: string | null };
  lastMessageAt: number | null;
  /** The centre's time of the post's last sign of life (wire.ts aliveSubject); null if none since the centre started. */
  heardAt: number | null;
}

export function mirrorDir(centreDir: string, post: string): string {
  return path.join(centreDir, POSTS_DIR, post);
}

export function readProblem(dir: string): MirrorProblemRecord | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, PROBLEM_FILE), 'utf8')) as MirrorProblemRecord;
  } catch {
    return null;
  }
}

/** The posts a centre directory mirrors (sub-folders of posts/ holding a database). */
export function mirroredPosts(centreDir: string): string[] {
  const dir = path.join(centreDir, POSTS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(databasePath(path.join(dir, name))))
    .sort();
}

/** A post's picture as its mirror projects it (read it, never write it: actions stay at the posts). */
export interface PostPicture {
  post: string;
  picture: LivePicture;
  vessels: VesselPicture;
  /** The mirror's database: its sectors and figures are read from it. */
  db: Db;
  state: PostState;
}

type PictureListener = (post: string, delta: PictureDelta) => void;

/** What the follower reads of a stream message, whether a consumer delivered it or it was read from the stream directly. */
interface StreamMessage {
  subject: string;
  /** The stream's sequence number. */
  seq: number;
  data: Uint8Array;
  headers?: MsgHdrs;
}

class PostFollower {
  readonly state: PostState;
  readonly db: Db;
  readonly projections: ReturnType<typeof createProjections>;
  /** The centre's messages as the post logged and acknowledged them (in its log, so in the mirror). */
  readonly inbox: PostCentreMessages;
  private readonly mirror: MirrorLog;
  private stopped = false;

  constructor(
    private readonly centre: { dir: string; logger: Logger; consumer: string; listeners: readonly PictureListener[] },
    readonly post: string,
    private fresh: boolean,
  ) {
    const dir = mirrorDir(centre.dir, post);
    this.db = openDatabase(dir);
    this.projections = createProjections(this.db);
    this.inbox = new PostCentreMessages(this.db);
    this.mirror = new MirrorLog(this.db, { projectors: [...this.projections.projectors, this.inbox.project], reload: this.projections.reload });
    const problem = readProblem(dir);
    this.state = {
      post,
      stream: streamName(post),
      state: problem ? 'stopped' : 'following',
      ...this.mirror.head(),
      problem,
      foreign: { count: 0, last: null },
      lastMessageAt: null,
      heardAt: null,
    };
  }

  close(): void {
    this.stopped = true;
    this.db.close();
  }

  /** Consumes until the stream goes away, a problem stops the mirror, or the centre stops. */
  async follow(nc: NatsConnection, jsm: JetStreamManager): Promise<void> {
    if (this.state.problem) return;
    const stream = this.state.stream;
    // A new mirror starts from the stream's first message, whatever an old consumer of that name had acknowledged.
    if (this.fresh) await jsm.consumers.delete(stream, this.centre.consumer).catch(() => undefined);
    this.fresh = false;
    let info;
    try {
      info = await jsm.consumers.info(stream, this.centre.consumer);
    } catch {
      info = await jsm.consumers.add(stream, {
        durable_name: this.centre.consumer,
        ack_policy: AckPolicy.All,
        deliver_policy: DeliverPolicy.All,
        // Events wait unacknowledged until their block message: room for many blocks' worth.
        max_ack_pending: 100_000,
        ack_wait: 60_000 * 1_000_000,
      });
    }
    // Where the stream should go on: after what was last acknowledged (events after it may be pending in the mirror, and come
    // again as duplicates), or from the stream's first message. What the consumer delivers past that point is read from the stream.
    const floor = info.ack_floor.stream_seq;
    let nextStreamSeq = floor > 0 ? floor + 1 : (await jsm.streams.info(stream)).state.first_seq;
    const consumer = await jetstream(nc).consumers.get(stream, this.centre.consumer);
    this.state.state = 'following';
    while (!this.stopped && !nc.isClosed()) {
      const batch = await consumer.fetch({ max_messages: 2_000, expires: 5_000 });
      // A fetch that never ends (seen once under heavy load, not reproduced) must not stall the mirror for good: close it, pull again.
      const watchdog = setTimeout(() => void batch.close(), 60_000);
      watchdog.unref();
      // With AckPolicy.All an ack covers every message before it: only acknowledge once nothing before it is still waiting for its block.
      let ackable: JsMsg | undefined;
      for await (const message of batch) {
        if (this.stopped) return clearTimeout(watchdog);
        if (message.seq > nextStreamSeq && !(await this.readSkipped(jsm, nextStreamSeq, message.seq))) {
          clearTimeout(watchdog);
          ackable?.ack();
          return;
        }
        nextStreamSeq = Math.max(nextStreamSeq, message.seq + 1);
        if (!this.take(message)) {
          clearTimeout(watchdog);
          ackable?.ack();
          return;
        }
        if (this.mirror.head().pending === 0) ackable = message;
      }
      clearTimeout(watchdog);
      ackable?.ack();
      Object.assign(this.state, this.mirror.head());
    }
  }

  /** Hands what changed to the listeners; taking the delta also lets the picture forget closed incidents. */
  private pictureChanged(): void {
    const delta = this.projections.picture.takeDelta();
    if (!delta) return;
    for (const listener of this.centre.listeners) {
      try {
        listener(this.post, delta);
      } catch (error) {
        this.centre.logger.warn(`post ${this.post}: a picture listener failed: ${(error as Error).message}`);
      }
    }
  }

  /**
   * The consumer skipped stream messages `from`…`to - 1`. Delivery to a consumer is at most once: messages in
   * flight when a server dies or the stream's leader changes are lost to it, and with the long ack wait they
   * would come again only hours later, so the mirror would stop on a gap the stream does not have. They are
   * read from the stream itself, in order. One the stream no longer holds is left to the mirror, which
   * reports the gap it makes. False once a problem stops the mirror.
   */
  private async readSkipped(jsm: JetStreamManager, from: number, to: number): Promise<boolean> {
    this.centre.logger.warn(
      `post ${this.post}: the consumer skipped stream messages ${from}–${to - 1} (a server or the stream's leader changed?); reading them from the stream`,
    );
    for (let seq = from; seq < to; seq++) {
      const stored = await this.storedMessage(jsm, seq);
      if (!stored) continue;
      if (!this.take({ subject: stored.subject, seq: stored.seq, data: stored.data, headers: stored.header })) return false;
    }
    return true;
  }

  /**
   * A message by stream sequence. Not found right after a server came back, it may be a copy still catching up that answered:
   * asked again for a while, and only then taken as gone (the mirror then reports the gap it leaves).
   */
  private async storedMessage(jsm: JetStreamManager, seq: number) {
    for (let attempt = 1; ; attempt++) {
      const stored = await jsm.streams.getMessage(this.state.stream, { seq });
      if (stored || attempt >= SKIPPED_READ_ATTEMPTS || this.stopped) {
        if (!stored) this.centre.logger.warn(`post ${this.post}: stream message ${seq} is not on ${this.state.stream}`);
        return stored;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    }
  }

  /** One message: false once a problem stops the mirror. */
  private take(message: StreamMessage): boolean {
    this.state.lastMessageAt = Date.now();
    const kind = messageKind(this.post, message.subject);
    const from = message.headers?.get(POST_HEADER);
    try {
      if (!kind || from !== this.post)
        throw new WireError(`not a Vigie message (subject ${message.subject}${from ? `, from ${from}` : ', no Vigie-Post header'})`);
      if (kind === 'event') this.mirror.receiveEvent(decodeEvent(message.data));
      else {
        if (this.mirror.receiveBlock(decodeBlock(message.data)) > 0) this.pictureChanged();
        // The status follows each block written, not each fetch.
        Object.assign(this.state, this.mirror.head());
      }
      return true;
    } catch (error) {
      if (error instanceof WireError) {
        this.state.foreign.count += 1;
        this.state.foreign.last = `stream seq ${message.seq}: ${error.message}`;
        if (this.state.foreign.count <= 10 || this.state.foreign.count % 1000 === 0)
          this.centre.logger.warn(
            `post ${this.post}: message ${message.seq} on ${this.state.stream} ignored: ${error.message} (${this.state.foreign.count} so far)`,
          );
        return true;
      }
      if (error instanceof MirrorProblem) {
        const record: MirrorProblemRecord = { kind: error.kind, seq: error.seq, detail: error.message, at: new Date().toISOString() };
        fs.writeFileSync(path.join(mirrorDir(this.centre.dir, this.post), PROBLEM_FILE), `${JSON.stringify(record, null, 2)}\n`);
        Object.assign(this.state, this.mirror.head(), { problem: record, state: 'stopped' });
        this.centre.logger.error(
          `post ${this.post}: ${error.kind.toUpperCase()} at seq ${error.seq}: ${error.message}; its mirror stays at seq ${this.state.lastSeq}`,
        );
        return false;
      }
      throw error;
    }
  }
}

export interface CentreOptions extends NatsTarget {
  dir: string;
  logger: Logger;
  consumer?: string;
  /** How often the server's streams are listed for new posts (default 2 s). */
  discoverEveryMs?: number;
  /** The centre's clock: the time on the digests it publishes for neighbours. */
  clock?: Clock;
  /** How often an unchanged digest is published again (default 15 s; tests shorten it). */
  regionKeepaliveMs?: number;
}

export class Centre {
  private readonly followers = new Map<string, PostFollower>();
  private readonly pictureListeners: PictureListener[] = [];
  private readonly following = new Map<string, Promise<void>>();
  /** Each post's last sign of life, by the centre's clock. */
  private readonly heardFrom = new Map<string, number>();
  private nc: NatsConnection | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private connection: { state: 'connecting' | 'connected' | 'offline' | 'refused'; problem: string | null } = { state: 'connecting', problem: null };

  private readonly logDb: Db;
  private readonly log: EventLog;

  constructor(private readonly options: CentreOptions) {
    fs.mkdirSync(path.join(options.dir, POSTS_DIR), { recursive: true });
    this.logDb = openDatabase(path.join(options.dir, CENTRE_LOG_DIR));
    this.log = new EventLog(this.logDb, systemClock);
    // Mirrors already here are shown (and verified) even before their stream is seen.
    for (const post of mirroredPosts(options.dir)) this.followerOf(post);
  }

  /** Connects (once: an unreachable server at start is an error the caller reports), then follows every post's stream. */
  async start(): Promise<void> {
    this.nc = await connectNats(this.options, 'vigie centre');
    const jsm = await jetstreamManager(this.nc, { timeout: 5_000 });
    this.connection = { state: 'connected', problem: null };
    void (async () => {
      for await (const status of this.nc!.status()) {
        if (status.type === 'disconnect') this.connection = { state: 'offline', problem: 'disconnected' };
        else if (status.type === 'reconnect') this.connection = { state: 'connected', problem: null };
      }
    })().catch(() => undefined);
    this.loop = this.discover(jsm);
    const clock = this.options.clock ?? systemClock;
    const startedAt = clock.now();
    this.nc.subscribe(ALIVE_SUBJECTS, {
      callback: (error, message) => {
        const post = message?.subject.slice(aliveSubject('').length);
        if (error || !post || !PostName.safeParse(post).success) return;
        this.heardFrom.set(post, clock.now());
        const follower = this.followers.get(post);
        if (follower) follower.state.heardAt = this.heardFrom.get(post)!;
      },
    });
    // Each post's units and open incidents for the posts beside it (neighbours.ts). A mirror held by a problem, or whose stream is
    // gone, is no longer published: its neighbours see it go stale rather than a frozen picture kept looking live.
    this.region = new RegionPublisher({
      nc: this.nc,
      posts: () => this.postNames(),
      pictureOf: (post) => {
        const follower = this.followers.get(post);
        if (!follower || follower.state.state !== 'following') return undefined;
        const { picture } = follower.projections;
        return {
          // A post not heard from since the centre started counts from then: gone for good, it turns stale at its neighbours.
          heardAt: follower.state.heardAt ?? startedAt,
          units: [...picture.units.values()].sort((a, b) => a.id.localeCompare(b.id)),
          incidents: [...picture.incidents.keys()].map((id) => picture.incidentView(id)!).filter((incident) => incident.status === 'open'),
        };
      },
      clock,
      logger: this.options.logger,
      keepaliveMs: this.options.regionKeepaliveMs,
    });
    this.region.start();
  }

  private region: RegionPublisher | undefined;

  async stop(): Promise<void> {
    this.stopped = true;
    this.region?.stop();
    await this.nc?.close().catch(() => undefined);
    await this.loop;
    await Promise.allSettled(this.following.values());
    for (const follower of this.followers.values()) follower.close();
    this.logDb.close();
  }

  /**
   * "Request assistance": a message to a post, stored on the server's
   * VIGIE_CENTRE stream (a post offline gets it when it reconnects), then
   * logged here. Actions stay at the posts: this only tells them.
   */
  async sendMessage(post: string, text: string): Promise<CentreSentMessage> {
    if (!PostName.safeParse(post).success) throw new CentreMessageError(`${JSON.stringify(post)} is not a post name`);
    const trimmed = text.trim();
    if (trimmed.length === 0) throw new CentreMessageError('the message is empty');
    if (trimmed.length > CENTRE_MESSAGE_MAX) throw new CentreMessageError(`the message is longer than ${CENTRE_MESSAGE_MAX} characters`);
    if (!this.nc || this.nc.isClosed()) throw new CentreMessageError('the centre is not connected to the NATS server');
    const m = `C${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
    const at = Date.now();
    try {
      await ensureCentreStream(await jetstreamManager(this.nc, { timeout: 5_000 }));
      await jetstream(this.nc, { timeout: 5_000 }).publish(centreSubject(post), encodeCentreMessage({ m, post, text: trimmed, at }), { msgID: m });
    } catch (error) {
      throw new CentreMessageError(`the NATS server did not take the message: ${classifyNatsError(error).detail}`);
    }
    this.log.append([logEvent('centre.message', 'centre', { m, post, text: trimmed, at })]);
    this.options.logger.info(`centre: message ${m} sent to ${post}`);
    return { m, post, text: trimmed, at, received: null, acknowledged: null };
  }

  /** The messages sent, newest first, each with whether its post logged it and who acknowledged it there (from its mirror). */
  messages(limit = 100): CentreSentMessage[] {
    const sent: CentreSentMessage[] = [];
    for (const event of iterateEvents(this.logDb)) {
      if (event.kind !== 'centre.message') continue;
      const { m, post, text, at } = JSON.parse(event.payload) as { m: string; post: string; text: string; at: number };
      const there = this.followers.get(post)?.inbox.get(m);
      sent.push({ m, post, text, at, received: there?.receivedAt ?? null, acknowledged: there?.acknowledged ?? null });
    }
    return sent.reverse().slice(0, limit);
  }

  status(): { connection: { state: string; problem: string | null }; posts: PostState[] } {
    return { connection: this.connection, posts: [...this.followers.values()].map((f) => ({ ...f.state })).sort((a, b) => a.post.localeCompare(b.post)) };
  }

  /** The centre's folder (its mirrors under posts/, its own log under centre/). */
  get dir(): string {
    return this.options.dir;
  }

  /** The posts the centre mirrors, in name order. */
  postNames(): string[] {
    return [...this.followers.keys()].sort();
  }

  /** A post's picture, projected from its mirror as it stands. */
  pictureOf(post: string): PostPicture | undefined {
    const follower = this.followers.get(post);
    if (!follower) return undefined;
    return { post, picture: follower.projections.picture, vessels: follower.projections.vessels, db: follower.db, state: { ...follower.state } };
  }

  /** Called with what changed in a post's picture after each block its mirror writes. Returns the unsubscribe. */
  onPictureChange(listener: PictureListener): () => void {
    this.pictureListeners.push(listener);
    return () => {
      const index = this.pictureListeners.indexOf(listener);
      if (index >= 0) this.pictureListeners.splice(index, 1);
    };
  }

  private followerOf(post: string): PostFollower {
    let follower = this.followers.get(post);
    if (!follower) {
      const fresh = !fs.existsSync(databasePath(mirrorDir(this.options.dir, post)));
      follower = new PostFollower(
        { dir: this.options.dir, logger: this.options.logger, consumer: this.options.consumer ?? CENTRE_CONSUMER, listeners: this.pictureListeners },
        post,
        fresh,
      );
      follower.state.heardAt = this.heardFrom.get(post) ?? null;
      this.followers.set(post, follower);
    }
    return follower;
  }

  private async discover(jsm: JetStreamManager): Promise<void> {
    while (!this.stopped) {
      try {
        const names = new Set<string>();
        for await (const name of jsm.streams.names()) names.add(name);
        for (const follower of this.followers.values()) {
          if (!names.has(follower.state.stream) && !this.following.has(follower.post) && follower.state.state === 'following')
            follower.state.state = 'stream-missing';
        }
        for (const name of names) {
          const post = postOfStream(name);
          if (!post || this.following.has(post)) continue;
          const follower = this.followerOf(post);
          if (follower.state.problem) continue;
          const run = follower
            .follow(this.nc!, jsm)
            .catch((error: unknown) => {
              if (this.stopped) return;
              const gone =
                (error as Error).name === 'StreamNotFoundError' ||
                /stream not found|consumer not found|consumer deleted|stream deleted/i.test(String((error as Error).message));
              if (gone) {
                follower.state.state = 'stream-missing';
                this.options.logger.warn(`post ${post}: stream ${name} is gone from the server; its mirror is kept at seq ${follower.state.lastSeq}`);
              } else this.options.logger.warn(`post ${post}: following ${name} failed (${classifyNatsError(error).detail}); trying again`);
            })
            .finally(() => this.following.delete(post));
          this.following.set(post, run);
        }
      } catch (error) {
        if (this.stopped) break;
        this.options.logger.warn(`centre: listing streams failed (${classifyNatsError(error).detail})`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.discoverEveryMs ?? 2_000).unref());
    }
  }
}
